import React from 'react';
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { UseSignal } from '@jupyterlab/ui-components';

import * as CommandIDs from '../commands';
import { addToolbarButtons } from '../commandTable';
import { ConnectionSection } from '../components/ConnectionSection';
import {
  IOpenbisConnectionActions,
  OpenbisConnectionItem
} from '../components/OpenbisConnectionItem';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { BrowserModel } from '../openbis/BrowserModel';
import { OpenbisClient } from '../openbis/client';
import { OpenbisBrowser } from '../openbis/components/OpenbisBrowser';
import { registerConnectionCommands } from '../openbis/connectionCommands';
import { SessionWatch } from '../openbis/SessionWatch';
import { createSection } from '../section';
import { followSettings } from '../settings';
import { IConnectionsModel, IReanaOpenbisPanel } from '../tokens';

const PLUGIN_ID = 'reana-openbis-lab:openbis-section';

/** Where the openBIS section sits among the panel's sections. */
const SECTION_RANK = 100;

/** The openBIS section of the side panel: the connections and a tree of one connection's data. */
export const openbisSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The openBIS section of the side panel: connections, browsing and search.',
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
    const { connections, serverInfo } = panel;
    const client = new OpenbisClient(app.serviceManager.serverSettings);
    const browser = new BrowserModel({ client });
    const watch = new SessionWatch({ client, connections });

    const run = (id: string) => (name: string) => void commands.execute(id, { connection: name });
    const actions = (): IOpenbisConnectionActions => {
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
    const treeActions = {
      openDataset: (permId: string) =>
        void commands.execute(CommandIDs.openbisOpenDataset, {
          connection: browser.connection ?? '',
          permId
        }),
      login: () =>
        void commands.execute(CommandIDs.openbisLogin, { connection: browser.connection ?? '' })
    };

    const section = createSection({
      id: 'reana-openbis-lab-openbis-section',
      label: trans.__('openBIS'),
      trans,
      share: 3,
      hideWhenUnavailable: { signal: connections.changed, list: () => connections.openbis },
      body: (
        <>
          <UseSignal signal={connections.changed}>
            {() => (
              <UseSignal signal={browser.changed}>
                {() => (
                  <ConnectionSection
                    title={trans.__('openBIS')}
                    list={connections.openbis}
                    emptyText={trans.__('No openBIS connection yet.')}
                    renderItem={connection => (
                      <OpenbisConnectionItem
                        connection={connection}
                        actions={actions()}
                        browsing={connection.name === browser.connection}
                      />
                    )}
                  />
                )}
              </UseSignal>
            )}
          </UseSignal>
          <OpenbisBrowser model={browser} actions={treeActions} />
        </>
      )
    });
    addToolbarButtons(section, commands, [
      CommandIDs.openbisAddConnection,
      CommandIDs.openbisSearch,
      CommandIDs.openbisRefreshTree
    ]);
    panel.addSection(section, SECTION_RANK);

    const reveal = () => panel.reveal(section);
    registerConnectionCommands(commands, { client, connections, browser, trans, palette, reveal });

    connections.changed.connect(() => chooseConnection(browser, connections));

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      browser.pageSize = setting('pageSize') as number;
      watch.interval = (setting('sessionCheckInterval') as number) * 1000;
    });
  }
};

/**
 * Keep the tree on a connection that exists: the first one that is logged in or can log
 * itself in, when the browsed one is gone or none is chosen yet.
 */
function chooseConnection(browser: BrowserModel, connections: IConnectionsModel): void {
  if (connections.openbis.status !== 'ready') {
    return;
  }
  const list = connections.openbis.connections;
  if (browser.connection !== null && list.some(c => c.name === browser.connection)) {
    return;
  }
  const usable = list.find(c => c.status === 'connected' || c.hasSecret);
  browser.connection = usable?.name ?? null;
}
