import React from 'react';
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import * as CommandIDs from '../commands';
import { addCommands, addToolbarButtons } from '../commandTable';
import { IOpenbisConnectionActions } from '../components/OpenbisConnectionItem';
import { loadTranslation } from '../components/translation';
import { openbisIcon } from '../icons';
import { BrowserModel } from '../openbis/BrowserModel';
import { OpenbisClient } from '../openbis/client';
import { OpenbisConnectionsPart } from '../openbis/components/OpenbisConnectionsPart';
import { canBrowse, IOpenbisHomeActions, OpenbisHome } from '../openbis/components/OpenbisHome';
import { PALETTE_CATEGORY, registerConnectionCommands } from '../openbis/connectionCommands';
import { SessionWatch } from '../openbis/SessionWatch';
import { ServicePanel } from '../panel';
import { followSettings } from '../settings';
import { IConnectionsModel, IConnectionsView, IServerInfoModel } from '../tokens';

const PLUGIN_ID = 'reana-openbis-lab:openbis-section';

/** The DOM id of the openBIS panel; the layout restorer and `activateById` use it. */
export const OPENBIS_PANEL_ID = 'reana-openbis-lab-openbis';

/** Where the openBIS part sits in the connections view. */
const PART_RANK = 100;

/**
 * The openBIS panel (its own tab in the side bar): the current connection on one line,
 * then search and the tree of its data in the full height. Its connections are managed
 * in the connections view.
 */
export const openbisSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The openBIS panel: the current connection, browsing and search.',
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
    const client = new OpenbisClient(app.serviceManager.serverSettings);
    const browser = new BrowserModel({ client });
    const watch = new SessionWatch({ client, connections });

    const run = (id: string) => (name: string) => void commands.execute(id, { connection: name });
    const connectionActions = (): IOpenbisConnectionActions => {
      const handshake = serverInfo.handshake;
      const capabilities = handshake.status === 'ready' ? handshake.info.capabilities : {};
      const sshfs = capabilities.sshfs as { available?: boolean } | undefined;
      const canMount = sshfs?.available === true;
      return {
        login: run(CommandIDs.openbisLogin),
        logout: run(CommandIDs.openbisLogout),
        edit: run(CommandIDs.openbisEditConnection),
        remove: run(CommandIDs.openbisDeleteConnection),
        browse: run(CommandIDs.openbisBrowse),
        mount:
          canMount && commands.hasCommand(CommandIDs.openbisMount)
            ? run(CommandIDs.openbisMount)
            : undefined,
        unmount: commands.hasCommand(CommandIDs.openbisUnmount)
          ? run(CommandIDs.openbisUnmount)
          : undefined
      };
    };
    const manage = () => void commands.execute(CommandIDs.openConnections, { part: 'openbis' });
    const homeActions: IOpenbisHomeActions = {
      openDataset: (permId: string) =>
        void commands.execute(CommandIDs.openbisOpenDataset, {
          connection: browser.connection ?? '',
          permId
        }),
      useAsReanaInput: datasets =>
        void commands.execute(CommandIDs.openbisUseAsReanaInput, {
          connection: browser.connection ?? '',
          datasets: datasets.map(d => ({
            permId: d.permId,
            name: d.name ?? '',
            type: d.type ?? ''
          }))
        }),
      login: () => run(CommandIDs.openbisLogin)(browser.connection ?? ''),
      loginTo: run(CommandIDs.openbisLogin),
      loginAndBrowse: name =>
        void commands.execute(CommandIDs.openbisLogin, { connection: name }).then(() => {
          const list = connections.openbis;
          const chosen = list.status === 'ready' && list.connections.find(c => c.name === name);
          if (chosen && canBrowse(chosen)) {
            browser.connection = name;
          }
        }),
      add: () => void commands.execute(CommandIDs.openbisAddConnection),
      manage
    };

    const panel = new ServicePanel({
      id: OPENBIS_PANEL_ID,
      label: trans.__('openBIS'),
      icon: openbisIcon,
      serverInfo,
      translator,
      trans,
      body: <OpenbisHome connections={connections} browser={browser} actions={homeActions} />
    });
    const reveal = () => shell.activateById(panel.id);
    registerConnectionCommands(commands, { client, connections, browser, trans, palette, reveal });
    addCommands(
      commands,
      [
        {
          id: CommandIDs.openbisOpenPanel,
          label: trans.__('Open openBIS Panel'),
          caption: trans.__('Show the openBIS panel: the current connection and its data'),
          icon: openbisIcon,
          execute: reveal
        }
      ],
      palette,
      PALETTE_CATEGORY
    );
    addToolbarButtons({ toolbar: panel.buttons }, commands, [
      CommandIDs.openbisAddConnection,
      CommandIDs.openbisSearch,
      CommandIDs.openbisRefreshTree
    ]);
    shell.add(panel, 'left', { rank: 850 });
    restorer?.add(panel, OPENBIS_PANEL_ID);

    view?.addPart({
      id: 'openbis',
      rank: PART_RANK,
      render: () => (
        <OpenbisConnectionsPart
          connections={connections}
          browser={browser}
          actions={connectionActions}
          onAdd={homeActions.add}
        />
      )
    });

    const onConnections = () => {
      chooseConnection(browser, connections);
      panel.setAvailable(connections.openbis.status !== 'unavailable');
    };
    connections.changed.connect(onConnections);
    onConnections();

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      browser.pageSize = setting('pageSize') as number;
      watch.interval = (setting('sessionCheckInterval') as number) * 1000;
    });
  }
};

/**
 * Keep the tree on a connection that exists: the first one that is logged in or can log
 * itself in, when the browsed one is gone or none is chosen yet (none, while no connection
 * can: the panel then offers the log-in instead of a tree that could only be refused).
 */
function chooseConnection(browser: BrowserModel, connections: IConnectionsModel): void {
  if (connections.openbis.status !== 'ready') {
    return;
  }
  const list = connections.openbis.connections;
  if (browser.connection !== null && list.some(c => c.name === browser.connection)) {
    return;
  }
  browser.connection = list.find(canBrowse)?.name ?? null;
}
