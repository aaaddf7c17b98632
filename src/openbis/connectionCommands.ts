import { Dialog, ICommandPalette, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, refreshIcon, searchIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import * as CommandIDs from '../commands';
import { addCommands, CONNECTION_ARG } from '../commandTable';
import { IConnectionsModel, IOpenbisConnection } from '../tokens';
import { BrowserModel } from './BrowserModel';
import { OpenbisClient } from './client';
import { SEARCH_INPUT_ID } from './components/OpenbisBrowser';
import { showConnectionDialog } from './connectionDialog';
import { problemOf } from './errors';
import { connectionOf } from './pickConnection';

/** The command palette category of every openBIS command. */
export const PALETTE_CATEGORY = 'openBIS';

/**
 * The connection and browsing commands of the openBIS section: each row button and
 * toolbar button runs one, and the palette offers them all (asking which connection).
 */
export function registerConnectionCommands(
  commands: CommandRegistry,
  options: {
    client: OpenbisClient;
    connections: IConnectionsModel;
    browser: BrowserModel;
    trans: TranslationBundle;
    palette: ICommandPalette | null;
    /** Show the openBIS section. */
    reveal: () => void;
  }
): void {
  const { client, connections, browser, trans, reveal } = options;
  const afterChange = async (name?: string) => {
    await connections.refresh();
    if (name !== undefined && name === browser.connection) {
      await browser.refresh();
    }
  };
  const fail = (what: string, error: unknown) => {
    Notification.error(trans.__('%1: %2', what, problemOf(error).message), { autoClose: 8000 });
  };
  /** A command about one connection: its argument, or the user's pick among `filter`. */
  const about =
    (
      run: (connection: IOpenbisConnection) => Promise<void> | void,
      filter?: (connection: IOpenbisConnection) => boolean
    ) =>
    async (args: ReadonlyPartialJSONObject) => {
      const connection = await connectionOf(args, connections, trans, filter);
      if (connection) {
        await run(connection);
      }
    };
  const editable = (c: IOpenbisConnection) => !c.preset;

  addCommands(
    commands,
    [
      {
        id: CommandIDs.openbisAddConnection,
        label: trans.__('Add openBIS Connection…'),
        caption: trans.__('Add an openBIS connection and log in'),
        toolbarIcon: addIcon,
        execute: async () => {
          const added = await showConnectionDialog({ client, trans });
          await connections.refresh();
          if (added) {
            browser.connection = added.name;
            reveal();
          }
        }
      },
      {
        id: CommandIDs.openbisEditConnection,
        label: trans.__('Edit openBIS Connection…'),
        caption: trans.__('Change the address, user or log-in method of a connection'),
        args: CONNECTION_ARG,
        execute: about(async connection => {
          if (connection.preset) {
            Notification.warning(
              trans.__('%1 is set up by the administrator and cannot be changed.', connection.name),
              { autoClose: 5000 }
            );
            return;
          }
          const edited = await showConnectionDialog({ client, trans, connection });
          await connections.refresh();
          if (edited && browser.connection === connection.name) {
            browser.connection = edited.name;
            await browser.refresh();
          }
        }, editable)
      },
      {
        id: CommandIDs.openbisDeleteConnection,
        label: trans.__('Delete openBIS Connection…'),
        caption: trans.__('Log out and forget a connection'),
        args: CONNECTION_ARG,
        execute: about(async connection => {
          if (connection.preset) {
            return;
          }
          const answer = await showDialog({
            title: trans.__('Delete openBIS connection?'),
            body: trans.__(
              'Delete the connection %1 to %2? It is logged out; files you downloaded stay.',
              connection.name,
              connection.url
            ),
            buttons: [
              Dialog.cancelButton({ label: trans.__('Cancel') }),
              Dialog.warnButton({ label: trans.__('Delete') })
            ]
          });
          if (!answer.button.accept) {
            return;
          }
          try {
            await client.deleteConnection(connection.name);
          } catch (error) {
            fail(trans.__('Could not delete %1', connection.name), error);
          }
          if (browser.connection === connection.name) {
            browser.connection = null;
          }
          await connections.refresh();
        }, editable)
      },
      {
        id: CommandIDs.openbisLogin,
        label: trans.__('Log in to openBIS…'),
        caption: trans.__('Log in to an openBIS connection'),
        args: CONNECTION_ARG,
        execute: about(async connection => {
          if (connection.hasSecret) {
            // The server holds the secret (a preset, or "remember"): no need to ask.
            try {
              await client.login(connection.name);
              await afterChange(connection.name);
              return;
            } catch (error) {
              const problem = problemOf(error);
              if (problem.kind !== 'rejected' && problem.kind !== 'login-required') {
                fail(trans.__('Could not log in to %1', connection.name), error);
                await afterChange(connection.name);
                return;
              }
            }
          }
          const loggedIn = await showConnectionDialog({
            client,
            trans,
            connection,
            loginOnly: true
          });
          await afterChange(connection.name);
          if (loggedIn && browser.connection === null) {
            browser.connection = loggedIn.name;
          }
        })
      },
      {
        id: CommandIDs.openbisLogout,
        label: trans.__('Log out of openBIS'),
        caption: trans.__('End the openBIS session; the password or token is forgotten'),
        args: CONNECTION_ARG,
        execute: about(
          async connection => {
            try {
              await client.logout(connection.name);
            } catch (error) {
              fail(trans.__('Could not log out of %1', connection.name), error);
            }
            await afterChange(connection.name);
          },
          c => c.status === 'connected'
        )
      },
      {
        id: CommandIDs.openbisBrowse,
        label: trans.__('Browse openBIS Connection…'),
        caption: trans.__(
          'Show the spaces, projects, collections, objects and datasets of a connection'
        ),
        args: CONNECTION_ARG,
        execute: about(connection => {
          browser.connection = connection.name;
          reveal();
        })
      },
      {
        id: CommandIDs.openbisRefreshTree,
        label: trans.__('Reload openBIS Tree'),
        caption: trans.__(
          'Check the server extension, read the connections and the open levels of the tree again'
        ),
        toolbarIcon: refreshIcon,
        execute: async () => {
          // The server extension first: the lists and the tree mean nothing without it.
          if (commands.hasCommand(CommandIDs.refresh)) {
            await commands.execute(CommandIDs.refresh);
          }
          await connections.refresh();
          await browser.refresh();
        }
      },
      {
        id: CommandIDs.openbisSearch,
        label: trans.__('Search openBIS Datasets'),
        caption: trans.__('Find datasets by code, name or property'),
        toolbarIcon: searchIcon,
        execute: () => {
          reveal();
          requestAnimationFrame(() => document.getElementById(SEARCH_INPUT_ID)?.focus());
        }
      }
    ],
    options.palette,
    PALETTE_CATEGORY
  );
}
