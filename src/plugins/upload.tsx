import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { Contents } from '@jupyterlab/services';
import { ITranslator } from '@jupyterlab/translation';
import { fileUploadIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { loadTranslation } from '../components/translation';
import { IConnectionsModel, IJobsModel, IOpenbisConnection } from '../tokens';

/** "Upload to openBIS…" on files and folders of the file browser (menu declared in schema). */
export const uploadPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reana-openbis-lab:upload',
  description: 'Upload files and folders from the file browser as a new openBIS dataset.',
  autoStart: true,
  requires: [IConnectionsModel, ITranslator],
  optional: [IDefaultFileBrowser, IJobsModel, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    connectionsModel: IConnectionsModel,
    translator: ITranslator,
    browser: IDefaultFileBrowser | null,
    jobs: IJobsModel | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = loadTranslation(translator);
    const { commands } = app;
    const contents = app.serviceManager.contents;

    const selectedPaths = (): string[] =>
      browser ? [...browser.selectedItems()].map(item => item.path) : [];
    const canUpload = (args: ReadonlyPartialJSONObject): boolean =>
      Array.isArray(args.paths) ? args.paths.length > 0 : selectedPaths().length > 0;

    addCommands(
      commands,
      [
        {
          id: CommandIDs.openbisUpload,
          label: trans.__('Upload to openBIS…'),
          // Disabled with the reason, rather than run to say that it cannot act.
          caption: args =>
            canUpload(args)
              ? trans.__('Upload the selected files and folders as a new openBIS dataset')
              : trans.__('Select files or folders in the file browser first'),
          icon: fileUploadIcon,
          args: {
            paths: {
              type: 'array',
              items: { type: 'string' },
              description: trans.__('Files and folders relative to the server root')
            }
          },
          isEnabled: args => canUpload(args),
          execute: async args => {
            const paths = Array.isArray(args.paths) ? args.paths.map(String) : selectedPaths();
            if (paths.length === 0) {
              Notification.warning(
                trans.__('Select files or folders in the file browser to upload.'),
                { autoClose: 5000 }
              );
              return;
            }
            const connections = await openbisConnections(connectionsModel);
            if (connections.length === 0) {
              Notification.warning(trans.__('Add an openBIS connection first.'), {
                autoClose: 8000,
                actions: commands.hasCommand(CommandIDs.openbisAddConnection)
                  ? [
                      {
                        label: trans.__('Add connection'),
                        callback: () => void commands.execute(CommandIDs.openbisAddConnection)
                      }
                    ]
                  : []
              });
              return;
            }
            // The dialog's code loads on first use, not at application start.
            const [{ UploadFormModel }, { runUploadDialog }] = await Promise.all([
              import('../upload/UploadFormModel'),
              import('../upload/UploadDialog')
            ]);
            const model = new UploadFormModel({
              serverSettings: app.serviceManager.serverSettings,
              trans,
              paths,
              folders: await foldersAmong(paths, contents),
              connections,
              notebook: await notebookNear(paths, contents)
            });
            void model.load();
            try {
              const job = await runUploadDialog(model, trans);
              if (job) {
                jobs?.track(job);
                void connectionsModel.refresh();
              }
            } finally {
              model.dispose();
            }
          }
        }
      ],
      palette,
      trans.__('openBIS')
    );
    browser?.selectionChanged.connect(() =>
      commands.notifyCommandChanged(CommandIDs.openbisUpload)
    );
  }
};

/** The openBIS connections, read once more when they have not been listed yet. */
async function openbisConnections(connections: IConnectionsModel): Promise<IOpenbisConnection[]> {
  if (connections.openbis.status !== 'ready') {
    await connections.refresh();
  }
  const list = connections.openbis;
  return list.status === 'ready' ? [...list.connections] : [];
}

/** Which of `paths` are folders (a file has no manifest of its own to ask for). */
async function foldersAmong(
  paths: readonly string[],
  contents: Contents.IManager
): Promise<string[]> {
  const models = await Promise.all(
    paths.map(path => contents.get(path, { content: false }).catch(() => null))
  );
  return models.filter(model => model?.type === 'directory').map(model => model!.path);
}

/**
 * A notebook among the selection, else the only notebook in the folder of the
 * selection: the analysis that produced these results, offered for inclusion.
 */
async function notebookNear(
  paths: readonly string[],
  contents: Contents.IManager
): Promise<string | null> {
  const selected = paths.find(path => path.endsWith('.ipynb'));
  if (selected) {
    return selected;
  }
  try {
    const folder = await contents.get(PathExt.dirname(paths[0]), { content: true });
    const notebooks = (folder.content as Contents.IModel[]).filter(
      item => item.type === 'notebook'
    );
    return notebooks.length === 1 ? notebooks[0].path : null;
  } catch {
    return null;
  }
}
