import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { reanaOpenbisIcon } from '../icons';
import { ConnectionsModel } from '../models/ConnectionsModel';
import { notifyHandshakeProblem } from '../notifications';
import { followSettings, numberOf } from '../settings';
import { ReanaOpenbisSidebar, SIDEBAR_ID } from '../sidebar';
import { IReanaOpenbisPanel, IServerInfoModel } from '../tokens';

const PLUGIN_ID = 'reana-openbis-lab:sidebar';

/** The schema default of `refreshInterval`, used until the settings are loaded. */
const DEFAULT_REFRESH_SECONDS = 30;

/** The openBIS & REANA side panel, its commands and its settings. */
export const sidebarPlugin: JupyterFrontEndPlugin<IReanaOpenbisPanel> = {
  id: PLUGIN_ID,
  description: 'The openBIS & REANA side panel: server extension status, connections, sections.',
  autoStart: true,
  provides: IReanaOpenbisPanel,
  requires: [IServerInfoModel, ITranslator],
  optional: [ILayoutRestorer, ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    serverInfo: IServerInfoModel,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): IReanaOpenbisPanel => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { commands, shell } = app;
    const connections = new ConnectionsModel({
      serverSettings: app.serviceManager.serverSettings,
      serverInfo,
      refreshInterval: DEFAULT_REFRESH_SECONDS * 1000
    });

    addCommands(
      commands,
      [
        {
          id: CommandIDs.openSidebar,
          label: trans.__('Open openBIS & REANA Panel'),
          caption: trans.__('Show the openBIS & REANA side panel'),
          icon: reanaOpenbisIcon,
          execute: () => shell.activateById(SIDEBAR_ID)
        },
        {
          id: CommandIDs.refresh,
          label: trans.__('Refresh openBIS & REANA Status'),
          caption: trans.__('Check the server extension and the connections again'),
          execute: () => serverInfo.check()
        }
      ],
      palette,
      trans.__('openBIS & REANA')
    );

    const sidebar = new ReanaOpenbisSidebar({
      shell,
      serverInfo,
      connections,
      commands,
      translator,
      trans
    });
    shell.add(sidebar, 'left', { rank: 850 });
    restorer?.add(sidebar, SIDEBAR_ID);

    void serverInfo.check().then(handshake =>
      notifyHandshakeProblem(handshake, trans, () => {
        void commands.execute(CommandIDs.openSidebar);
      })
    );

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      connections.refreshInterval =
        numberOf(setting, 'refreshInterval', DEFAULT_REFRESH_SECONDS) * 1000;
    }).then(async settings => {
      await app.restored;
      if (settings?.get('openAtStart').composite === true) {
        shell.activateById(SIDEBAR_ID);
      }
    });
    return sidebar;
  }
};
