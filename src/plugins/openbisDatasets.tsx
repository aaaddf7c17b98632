import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog, IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { downloadIcon, fileIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { followSettings } from '../settings';
import { shownName } from '../components/names';
import { loadTranslation } from '../components/translation';
import { OpenbisClient } from '../openbis/client';
import { datasetLabel } from '../openbis/label';
import { PALETTE_CATEGORY } from '../openbis/connectionCommands';
import type { IDatasetViewActions } from '../openbis/components/DatasetView';
import type { DatasetPanel } from '../openbis/DatasetPanel';
import { IJobsModel } from '../tokens';
import { ProvenanceApi } from '../provenance/api';
import { exportCrate, openRunNode } from '../provenance/actions';

const PLUGIN_ID = 'reana-openbis-lab:openbis-datasets';

/** The restorer's and tracker's namespace of dataset views. */
const NAMESPACE = 'reana-openbis-lab-dataset';

type DatasetWidget = MainAreaWidget<DatasetPanel>;

/**
 * One main-area view per openBIS dataset (re-opening reveals it; views come back after a
 * reload), and the download commands: into a folder named after the dataset (its permId),
 * made in the file browser's folder or in a folder picked.
 */
export const openbisDatasetsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'openBIS dataset views and downloads into the workspace.',
  autoStart: true,
  requires: [ITranslator],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ISettingRegistry,
    IDefaultFileBrowser,
    IDocumentManager,
    IJobsModel
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    fileBrowser: IDefaultFileBrowser | null,
    docManager: IDocumentManager | null,
    jobs: IJobsModel | null
  ): void => {
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const client = new OpenbisClient(app.serviceManager.serverSettings);
    const provenance = new ProvenanceApi(app.serviceManager.serverSettings);
    const tracker = new WidgetTracker<DatasetWidget>({ namespace: NAMESPACE });
    let confirmOverwrite = true;

    const idOf = (connection: string, permId: string) => `${NAMESPACE}:${connection}:${permId}`;

    /** The dataset a command is about: its arguments, else the active dataset view. */
    const targetOf = (args: ReadonlyPartialJSONObject) => {
      if (typeof args.connection === 'string' && typeof args.permId === 'string') {
        const files = Array.isArray(args.files)
          ? args.files.filter((f): f is string => typeof f === 'string')
          : [];
        return { connection: args.connection, permId: args.permId, files };
      }
      const model = tracker.currentWidget?.content.model;
      return model
        ? { connection: model.connection, permId: model.permId, files: model.selection }
        : null;
    };

    const download = async (args: ReadonlyPartialJSONObject, destination: string) => {
      const target = targetOf(args);
      if (!target) {
        return;
      }
      // Loaded on first use: the view and downloads cost nothing at start-up.
      const { downloadDataset } = await import('../openbis/downloadDataset');
      const detail = tracker.find(w => w.id === idOf(target.connection, target.permId))?.content
        .model.detail;
      await downloadDataset({
        client,
        trans,
        ...target,
        label: detail ? datasetLabel(detail) : target.permId,
        destination,
        confirmOverwrite,
        jobs,
        fileBrowser,
        names: async folder => {
          const listing = await app.serviceManager.contents.get(folder, { content: true });
          return new Set((listing.content as { name: string }[]).map(item => item.name));
        }
      });
    };

    /** Views being created, so two quick clicks still make one view. */
    const pending = new Map<string, Promise<DatasetWidget>>();
    const open = (connection: string, permId: string): Promise<DatasetWidget> => {
      const id = idOf(connection, permId);
      let widget = pending.get(id);
      if (!widget) {
        widget = create(connection, permId).finally(() => pending.delete(id));
        pending.set(id, widget);
      }
      return widget;
    };
    const create = async (connection: string, permId: string): Promise<DatasetWidget> => {
      const existing = tracker.find(w => w.id === idOf(connection, permId));
      if (existing) {
        shell.activateById(existing.id);
        return existing;
      }
      const { createDatasetPanel } = await import('../openbis/DatasetPanel');
      const actions: IDatasetViewActions = {
        openDataset: other =>
          void commands.execute(CommandIDs.openbisOpenDataset, { connection, permId: other }),
        download: files =>
          void commands.execute(CommandIDs.openbisDownload, { connection, permId, files }),
        downloadTo: files =>
          void commands.execute(CommandIDs.openbisDownloadTo, { connection, permId, files }),
        login: () =>
          void commands.execute(CommandIDs.openbisLogin, { connection }).then(() => model.load()),
        copy: text => {
          Clipboard.copyToSystem(text);
          Notification.info(trans.__('Copied %1', text), { autoClose: 2000 });
        },
        useAsReanaInput: () =>
          void commands.execute(CommandIDs.openbisUseAsReanaInput, {
            connection,
            datasets: [{ permId, name: model.detail?.name ?? '', type: model.detail?.type ?? '' }]
          }),
        openRun: node => void openRunNode(commands, provenance, node),
        exportCrate: () =>
          void exportCrate(
            provenance,
            { source: 'dataset', connection, permId },
            trans,
            fileBrowser
          )
      };
      const content = createDatasetPanel({ client, connection, permId, actions, trans });
      const model = content.model;
      const widget = new MainAreaWidget({ content });
      widget.id = idOf(connection, permId);
      widget.title.label = permId;
      widget.title.caption = trans.__('openBIS dataset %1 on %2', permId, connection);
      widget.title.icon = fileIcon;
      widget.title.closable = true;
      model.changed.connect(() => {
        const detail = model.detail;
        if (detail) {
          widget.title.label = shownName(detail.name || detail.code || permId);
          widget.title.caption = trans.__(
            'openBIS dataset %1, %2 on %3',
            datasetLabel(detail),
            permId,
            connection
          );
        }
      });
      void tracker.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
      return widget;
    };

    addCommands(
      commands,
      [
        {
          id: CommandIDs.openbisOpenDataset,
          label: trans.__('Open openBIS Dataset…'),
          caption: trans.__('Show a dataset: properties, parents and children, files'),
          args: { connection: { type: 'string' }, permId: { type: 'string' } },
          execute: async args => {
            let { connection, permId } = args as { connection?: string; permId?: string };
            if (!connection || !permId) {
              // From the palette: the connection of the active view (else asked), then the permId.
              connection ??= tracker.currentWidget?.content.model.connection;
              if (!connection) {
                const answer = await InputDialog.getText({
                  title: trans.__('openBIS connection'),
                  placeholder: trans.__('e.g. openbis')
                });
                connection = answer.button.accept ? (answer.value ?? '').trim() : '';
              }
              const answer = await InputDialog.getText({
                title: trans.__('Dataset permId'),
                placeholder: trans.__('e.g. 20240102010000000-15')
              });
              permId = answer.button.accept ? (answer.value ?? '').trim() : '';
            }
            if (connection && permId) {
              return open(connection, permId);
            }
          }
        },
        {
          id: CommandIDs.openbisDownload,
          label: args =>
            args.permId ? trans.__('Download Dataset') : trans.__('Download openBIS Dataset'),
          caption: trans.__(
            'Download the dataset, or its selected files, into a folder named after it in the folder the file browser shows'
          ),
          icon: downloadIcon,
          args: {
            connection: { type: 'string' },
            permId: { type: 'string' },
            files: { type: 'array', items: { type: 'string' } },
            destination: { type: 'string' }
          },
          isEnabled: args => targetOf(args) !== null,
          execute: args =>
            download(
              args,
              typeof args.destination === 'string'
                ? args.destination
                : (fileBrowser?.model.path ?? '')
            )
        },
        {
          id: CommandIDs.openbisDownloadTo,
          label: trans.__('Download openBIS Dataset to…'),
          caption: trans.__(
            'Download the dataset, or its selected files, into a folder named after it in a folder you pick'
          ),
          args: {
            connection: { type: 'string' },
            permId: { type: 'string' },
            files: { type: 'array', items: { type: 'string' } }
          },
          isEnabled: args => targetOf(args) !== null,
          execute: async args => {
            let destination: string | null = null;
            if (docManager) {
              const picked = await FileDialog.getExistingDirectory({
                manager: docManager,
                translator,
                title: trans.__('Download into which folder?'),
                defaultPath: fileBrowser?.model.path
              });
              if (picked.button.accept) {
                destination = picked.value?.[0]?.path ?? fileBrowser?.model.path ?? '';
              }
            } else {
              const answer = await InputDialog.getText({
                title: trans.__('Download into which folder?'),
                text: fileBrowser?.model.path ?? ''
              });
              destination = answer.button.accept ? (answer.value ?? '') : null;
            }
            if (destination !== null) {
              await download(args, destination);
            }
          }
        }
      ],
      palette,
      PALETTE_CATEGORY
    );

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openbisOpenDataset,
        args: widget => ({
          connection: widget.content.model.connection,
          permId: widget.content.model.permId
        }),
        name: widget => `${widget.content.model.connection}:${widget.content.model.permId}`
      });
    }

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      confirmOverwrite = setting('confirmOverwrite') !== false;
    });
  }
};
