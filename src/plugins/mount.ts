import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, InputDialog, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import * as CommandIDs from '../commands';
import { addCommands, CONNECTION_ARG } from '../commandTable';
import { loadTranslation } from '../components/translation';
import { messageOf, requestAPI } from '../request';
import { IConnectionsModel, IOpenbisConnection, IServerInfoModel } from '../tokens';

/** `MountStatus` in openapi.yaml. */
interface IMountStatus {
  readonly isMounted: boolean;
  readonly mountpoint: string | null;
}

/** The connection list fields the server adds for mounts (`OpenbisConnection` in openapi.yaml). */
type MountableConnection = IOpenbisConnection & {
  readonly isMounted?: boolean;
  readonly mountpoint?: string | null;
};

/**
 * Mount an openBIS data store over SSHFS inside the Jupyter root and show it in the file
 * browser; unmount it again. Offered only where the server reports sshfs.
 */
export const mountPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reana-openbis-lab:mount',
  description: "Mount and unmount an openBIS connection's data store (SSHFS).",
  autoStart: true,
  requires: [IConnectionsModel, IServerInfoModel, ITranslator],
  optional: [IDefaultFileBrowser, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    connectionsModel: IConnectionsModel,
    serverInfo: IServerInfoModel,
    translator: ITranslator,
    browser: IDefaultFileBrowser | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = loadTranslation(translator);
    const { commands } = app;
    const settings = app.serviceManager.serverSettings;

    const sshfsAvailable = (): boolean => {
      const handshake = serverInfo.handshake;
      if (handshake.status !== 'ready') {
        return false;
      }
      const sshfs = handshake.info.capabilities.sshfs as { available?: boolean } | undefined;
      return sshfs?.available === true;
    };
    const connections = (): MountableConnection[] =>
      connectionsModel.openbis.status === 'ready' ? [...connectionsModel.openbis.connections] : [];
    const named = (args: ReadonlyPartialJSONObject): MountableConnection | undefined =>
      connections().find(c => c.name === args.connection);
    const route = (name: string) => `openbis/connections/${encodeURIComponent(name)}/mount`;
    addCommands(
      commands,
      [
        {
          id: CommandIDs.openbisMount,
          label: args =>
            args.connection
              ? trans.__('Mount Data Store of %1', String(args.connection))
              : trans.__('Mount openBIS Data Store…'),
          caption: trans.__(
            "Mount the connection's data store read-only in the file browser (SSHFS)"
          ),
          args: CONNECTION_ARG,
          isVisible: () => sshfsAvailable(),
          isEnabled: args => sshfsAvailable() && named(args)?.isMounted !== true,
          execute: async args => {
            const name = await connectionName(
              args,
              connections().filter(c => !c.isMounted),
              trans
            );
            if (!name) {
              return;
            }
            try {
              const status = await requestAPI<IMountStatus>(
                route(name),
                { method: 'POST', body: '{}' },
                settings
              );
              await connectionsModel.refresh();
              if (browser && status.mountpoint !== null) {
                await commands.execute('filebrowser:activate').catch(() => undefined);
                await browser.model.cd(`/${status.mountpoint}`);
              }
              Notification.success(
                trans.__('The data store of %1 is mounted at %2.', name, status.mountpoint ?? ''),
                {
                  autoClose: 5000
                }
              );
            } catch (reason) {
              Notification.error(trans.__('Could not mount %1: %2', name, messageOf(reason)), {
                autoClose: false
              });
            }
          }
        },
        {
          id: CommandIDs.openbisUnmount,
          label: args =>
            args.connection
              ? trans.__('Unmount Data Store of %1', String(args.connection))
              : trans.__('Unmount openBIS Data Store…'),
          caption: trans.__("Unmount the connection's data store"),
          args: CONNECTION_ARG,
          isVisible: () => sshfsAvailable(),
          isEnabled: args => !args.connection || named(args)?.isMounted === true,
          execute: async args => {
            const name = await connectionName(
              args,
              connections().filter(c => c.isMounted),
              trans
            );
            if (!name) {
              return;
            }
            try {
              const mountpoint = named({ connection: name })?.mountpoint;
              if (
                browser &&
                mountpoint &&
                `/${browser.model.path}/`.startsWith(`/${mountpoint}/`)
              ) {
                await browser.model.cd('/');
              }
              await requestAPI<IMountStatus>(route(name), { method: 'DELETE' }, settings);
              await connectionsModel.refresh();
            } catch (reason) {
              Notification.error(trans.__('Could not unmount %1: %2', name, messageOf(reason)), {
                autoClose: false
              });
            }
          }
        }
      ],
      palette,
      trans.__('openBIS')
    );
    const notify = () => {
      commands.notifyCommandChanged(CommandIDs.openbisMount);
      commands.notifyCommandChanged(CommandIDs.openbisUnmount);
    };
    connectionsModel.changed.connect(notify);
    serverInfo.handshakeChanged.connect(notify);
  }
};

/**
 * The connection named in the arguments, else the user's pick among `choices` (asked also
 * when there is one: mounting is not something to do to the only connection unasked).
 */
async function connectionName(
  args: ReadonlyPartialJSONObject,
  choices: readonly IOpenbisConnection[],
  trans: TranslationBundle
): Promise<string | null> {
  if (typeof args.connection === 'string') {
    return args.connection;
  }
  if (choices.length === 0) {
    Notification.info(trans.__('No openBIS connection to choose from.'), { autoClose: 5000 });
    return null;
  }
  const result = await InputDialog.getItem({
    title: trans.__('openBIS connection'),
    items: choices.map(c => c.name)
  });
  return result.button.accept ? result.value : null;
}
