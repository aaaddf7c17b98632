import React from 'react';
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { addIcon } from '@jupyterlab/ui-components';

import * as CommandIDs from '../commands';
import { addCommands, addToolbarButtons, CONNECTION_ARG } from '../commandTable';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { ReanaApi } from '../reana/api';
import { ReanaSection } from '../reana/components/ReanaSection';
import { deleteConnectionDialog, editConnectionDialog } from '../reana/connectionDialogs';
import { ReanaSectionModel } from '../reana/ReanaSectionModel';
import { describeProblem } from '../reana/status';
import { DEFAULT_INTERVALS, IRefreshIntervals } from '../reana/PolledModel';
import { createSection } from '../section';
import { followSettings, numberOf, SettingOf } from '../settings';
import { IReanaOpenbisPanel } from '../tokens';

/** Where the REANA section sits among the panel's sections. */
const SECTION_RANK = 200;

/** The plugin id, also the settings of the whole REANA part (`schema/reana-section.json`). */
export const REANA_SETTINGS_ID = 'reana-openbis-lab:reana-section';

/** The REANA section of the side panel: connections and their workflow runs. */
export const reanaSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: REANA_SETTINGS_ID,
  description: 'The REANA section of the side panel: connections and workflow runs.',
  autoStart: true,
  requires: [IReanaOpenbisPanel, ITranslator],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    panel: IReanaOpenbisPanel,
    translator: ITranslator,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { commands } = app;
    const { connections } = panel;
    const api = new ReanaApi(app.serviceManager.serverSettings);
    let isVisible = () => false;
    const model = new ReanaSectionModel({ api, connections, isVisible: () => isVisible() });
    const section = createSection({
      id: 'reana-openbis-lab-reana-section',
      label: trans.__('REANA'),
      trans,
      share: 2,
      hideWhenUnavailable: { signal: connections.changed, list: () => connections.reana },
      body: <ReanaSection model={model} commands={commands} />
    });
    isVisible = () => section.isVisible;
    addToolbarButtons(section, commands, [CommandIDs.reanaAddConnection, CommandIDs.reanaRun]);
    panel.addSection(section, SECTION_RANK);

    const findConnection = (name: string) => model.reana.find(c => c.name === name);
    addCommands(
      commands,
      [
        {
          id: CommandIDs.reanaAddConnection,
          label: trans.__('Add REANA Connection…'),
          caption: trans.__('Add a REANA server and its access token'),
          toolbarIcon: addIcon,
          execute: async () => {
            const added = await editConnectionDialog(api, trans);
            if (added) {
              await model.edited(added.name);
            }
          }
        },
        {
          id: CommandIDs.reanaEditConnection,
          label: trans.__('Edit REANA Connection…'),
          args: CONNECTION_ARG,
          hidden: true,
          execute: async args => {
            const existing = findConnection(String(args.connection ?? ''));
            const saved = existing && (await editConnectionDialog(api, trans, existing));
            if (saved) {
              await model.edited(saved.name);
            }
          }
        },
        {
          id: CommandIDs.reanaDeleteConnection,
          label: trans.__('Delete REANA Connection…'),
          args: CONNECTION_ARG,
          hidden: true,
          execute: async args => {
            try {
              if (await deleteConnectionDialog(api, trans, String(args.connection ?? ''))) {
                await connections.refresh();
              }
            } catch (reason) {
              Notification.error(describeProblem(reason).message);
            }
          }
        },
        {
          id: CommandIDs.reanaRefreshRuns,
          label: trans.__('Refresh REANA Runs'),
          execute: () => model.refreshList()
        }
      ],
      palette,
      trans.__('REANA')
    );

    void followSettings(settingRegistry, REANA_SETTINGS_ID, trans, setting => {
      model.pageSize = numberOf(setting, 'pageSize', 20);
      model.intervals = refreshIntervals(setting);
    });
  }
};

/** The REANA refresh intervals of the settings (in seconds there), in ms. */
export function refreshIntervals(setting: SettingOf): IRefreshIntervals {
  const ms = (key: string, fallback: number) => numberOf(setting, key, fallback / 1000) * 1000;
  return {
    active: ms('activeRefreshSeconds', DEFAULT_INTERVALS.active),
    idle: ms('idleRefreshSeconds', DEFAULT_INTERVALS.idle),
    max: ms('maxRefreshSeconds', DEFAULT_INTERVALS.max)
  };
}
