import React from 'react';
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { addIcon, refreshIcon } from '@jupyterlab/ui-components';

import * as CommandIDs from '../commands';
import { addCommands, addToolbarButtons, CONNECTION_ARG } from '../commandTable';
import { loadTranslation } from '../components/translation';
import { reanaIcon, secretsIcon } from '../icons';
import { ServicePanel } from '../panel';
import { ReanaApi } from '../reana/api';
import { IReanaConnectionActions } from '../reana/components/ReanaConnectionItem';
import { ReanaConnectionsPart } from '../reana/components/ReanaConnectionsPart';
import { IReanaHomeActions, ReanaHome } from '../reana/components/ReanaHome';
import { secretsDialog, serverInfoDialog } from '../reana/accountDialogs';
import { deleteConnectionDialog, editConnectionDialog } from '../reana/connectionDialogs';
import { ReanaSectionModel } from '../reana/ReanaSectionModel';
import { describeProblem } from '../reana/status';
import { DEFAULT_INTERVALS, IRefreshIntervals } from '../reana/PolledModel';
import { followSettings, numberOf, SettingOf } from '../settings';
import { IConnectionsModel, IConnectionsView, IServerInfoModel } from '../tokens';

/** The DOM id of the REANA panel; the layout restorer and `activateById` use it. */
export const REANA_PANEL_ID = 'reana-openbis-lab-reana';

/** Where the REANA part sits in the connections view. */
const PART_RANK = 200;

/** The plugin id, also the settings of the whole REANA part (`schema/reana-section.json`). */
export const REANA_SETTINGS_ID = 'reana-openbis-lab:reana-section';

/**
 * The REANA panel (its own tab in the side bar): the current connection on one line, then
 * its workflow runs in the full height. Its connections are managed in the connections view.
 */
export const reanaSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: REANA_SETTINGS_ID,
  description: 'The REANA panel: the current connection and its workflow runs.',
  autoStart: true,
  requires: [IConnectionsModel, IServerInfoModel, ITranslator],
  optional: [ILayoutRestorer, IConnectionsView, ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    connections: IConnectionsModel,
    serverInfo: IServerInfoModel,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    view: IConnectionsView | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const api = new ReanaApi(app.serviceManager.serverSettings);
    let isVisible = () => false;
    const model = new ReanaSectionModel({ api, connections, isVisible: () => isVisible() });
    const run = (id: string) => (name: string) => void commands.execute(id, { connection: name });
    const homeActions: IReanaHomeActions = {
      openRun: (connection, workflow) =>
        void commands.execute(CommandIDs.reanaOpenWorkflow, {
          connection,
          workflow: workflow.name
        }),
      edit: run(CommandIDs.reanaEditConnection),
      add: () => void commands.execute(CommandIDs.reanaAddConnection),
      manage: () => void commands.execute(CommandIDs.openConnections, { part: 'reana' }),
      secrets: run(CommandIDs.reanaSecrets),
      serverInfo: run(CommandIDs.reanaServerInfo)
    };
    const panel = new ServicePanel({
      id: REANA_PANEL_ID,
      label: trans.__('REANA'),
      icon: reanaIcon,
      serverInfo,
      translator,
      trans,
      body: <ReanaHome model={model} actions={homeActions} />
    });
    isVisible = () => panel.isVisible;
    // The runs stood by while the panel was hidden: show them fresh, not after the next tick.
    panel.shown.connect(() => model.refreshList());
    const reveal = () => shell.activateById(panel.id);

    const findConnection = (name: string) => model.reana.find(c => c.name === name);
    /** The connection a command names (else the current one), when it has a token. */
    const usableConnection = (args: ReadonlyPartialJSONObject) => {
      const connection = findConnection(String(args.connection ?? model.selected ?? ''));
      return connection?.hasToken ? connection : null;
    };
    addCommands(
      commands,
      [
        {
          id: CommandIDs.reanaOpenPanel,
          label: trans.__('Open REANA Panel'),
          caption: trans.__('Show the REANA panel: the current connection and its runs'),
          icon: reanaIcon,
          execute: reveal
        },
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
          id: CommandIDs.reanaSelectConnection,
          label: trans.__('Show REANA Runs of Connection'),
          args: CONNECTION_ARG,
          hidden: true,
          execute: args => {
            model.selected = String(args.connection ?? '');
            reveal();
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
              Notification.error(describeProblem(reason).message, { autoClose: 8000 });
            }
          }
        },
        {
          id: CommandIDs.reanaSecrets,
          label: args =>
            args.connection
              ? trans.__('Secrets on %1…', String(args.connection))
              : trans.__('REANA Secrets…'),
          caption: trans.__('List, add and delete the secrets REANA gives to your jobs'),
          args: CONNECTION_ARG,
          icon: secretsIcon,
          isEnabled: args => usableConnection(args) !== null,
          execute: async args => {
            const connection = usableConnection(args);
            if (connection) {
              await secretsDialog(api, trans, connection.name);
            }
          }
        },
        {
          id: CommandIDs.reanaServerInfo,
          label: args =>
            args.connection
              ? trans.__('About the REANA Server of %1…', String(args.connection))
              : trans.__('About the REANA Server…'),
          caption: trans.__('Engines, compute backends, retention and job limits of the server'),
          args: CONNECTION_ARG,
          isEnabled: args => usableConnection(args) !== null,
          execute: async args => {
            const connection = usableConnection(args);
            if (connection) {
              await serverInfoDialog(api, trans, connection);
            }
          }
        },
        {
          id: CommandIDs.reanaRefreshRuns,
          label: trans.__('Refresh REANA Runs'),
          caption: trans.__('Read the connections and the runs again'),
          toolbarIcon: refreshIcon,
          execute: async () => {
            await serverInfo.check();
            model.refreshList();
          }
        }
      ],
      palette,
      trans.__('REANA')
    );
    addToolbarButtons({ toolbar: panel.buttons }, commands, [
      CommandIDs.reanaAddConnection,
      CommandIDs.reanaRun,
      CommandIDs.reanaRefreshRuns
    ]);
    shell.add(panel, 'left', { rank: 851 });
    restorer?.add(panel, REANA_PANEL_ID);

    const connectionActions: IReanaConnectionActions = {
      select: run(CommandIDs.reanaSelectConnection),
      check: name => void model.check(name),
      edit: run(CommandIDs.reanaEditConnection),
      remove: run(CommandIDs.reanaDeleteConnection),
      secrets: run(CommandIDs.reanaSecrets),
      serverInfo: run(CommandIDs.reanaServerInfo)
    };
    view?.addPart({
      id: 'reana',
      rank: PART_RANK,
      render: () => (
        <ReanaConnectionsPart model={model} actions={connectionActions} onAdd={homeActions.add} />
      )
    });
    const onConnections = () => panel.setAvailable(connections.reana.status !== 'unavailable');
    connections.changed.connect(onConnections);

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
