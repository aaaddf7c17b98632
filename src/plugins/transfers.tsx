import React from 'react';
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { clearIcon, CommandToolbarButton, folderIcon, launchIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { IJobAction } from '../components/transfers/TransferItem';
import { jobLabel } from '../components/transfers/format';
import { TransfersBody } from '../components/transfers/TransfersBody';
import { TransfersStatus } from '../components/transfers/TransfersStatus';
import { loadTranslation } from '../components/translation';
import { transfersIcon } from '../icons';
import { IClearedJobsStore, IServerEvent, isFinished, JobsModel } from '../models/JobsModel';
import { SingletonView } from '../mainAreaView';
import { reactBody } from '../reactBody';
import { messageOf } from '../request';
import { followSettings } from '../settings';
import { IJob, IJobsModel, IServerInfoModel } from '../tokens';

const PLUGIN_ID = 'reana-openbis-lab:transfers';
/** The kind of job that uploads a workflow to REANA and starts it (`IJob.kind`). */
const REANA_RUN_KIND = 'reana-run';
/** Jobs whose result is a new openBIS dataset: an upload, a run's publication. */
const MAKES_A_DATASET = new Set(['openbis-upload', 'reana-publish']);
/** The IStateDB key of the cleared job ids. */
const CLEARED_KEY = `${PLUGIN_ID}:cleared`;
/** The tracker's and restorer's namespace, and the DOM id, of the Transfers view. */
const VIEW_ID = 'reana-openbis-lab-transfers';

/**
 * The jobs model (provided to the other parts), the status bar item that counts the running
 * transfers and how far they are, and the Transfers view (every download, upload and
 * workflow run with progress, Cancel and the follow-up action); a notification at the end.
 */
export const transfersPlugin: JupyterFrontEndPlugin<IJobsModel> = {
  id: PLUGIN_ID,
  description:
    'Live transfers and workflow runs: the jobs model, the status bar item and the Transfers view.',
  autoStart: true,
  provides: IJobsModel,
  requires: [IServerInfoModel, ITranslator],
  optional: [
    IStatusBar,
    ILayoutRestorer,
    ISettingRegistry,
    IStateDB,
    ICommandPalette,
    IDefaultFileBrowser
  ],
  activate: (
    app: JupyterFrontEnd,
    serverInfo: IServerInfoModel,
    translator: ITranslator,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
    palette: ICommandPalette | null,
    browser: IDefaultFileBrowser | null
  ): IJobsModel => {
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const events = app.serviceManager.events?.stream ?? null;
    const model = new JobsModel({
      serverSettings: app.serviceManager.serverSettings,
      events: events as ISignal<unknown, IServerEvent> | null,
      clearedStore: state ? stateStore(state) : undefined
    });
    const options = { autoOpen: false, notify: true };

    const showFolder = (job: IJob): void => {
      const destination = job.result?.destination ?? job.details?.destination;
      if (browser && typeof destination === 'string') {
        void commands.execute('filebrowser:activate').catch(() => undefined);
        void browser.model.cd(`/${destination}`);
      }
    };
    const openDataset = (job: IJob): void => {
      void commands.execute(CommandIDs.openbisOpenDataset, datasetArgs(job));
    };
    const actionFor = (job: IJob): IJobAction | null => {
      if (job.state !== 'done') {
        return null;
      }
      if (job.kind === 'openbis-download' && browser) {
        return {
          label: trans.__('Show in file browser'),
          icon: folderIcon,
          execute: () => showFolder(job)
        };
      }
      if (MAKES_A_DATASET.has(job.kind) && canOpenDataset(commands, job)) {
        return {
          label: trans.__('Open dataset'),
          icon: launchIcon,
          execute: () => openDataset(job)
        };
      }
      return null;
    };
    const cancel = (job: IJob): void => {
      model.cancel(job.id).catch(reason => {
        Notification.error(
          trans.__('Could not cancel %1: %2', jobLabel(job, trans), messageOf(reason)),
          { autoClose: 8000 }
        );
      });
    };

    // The view: one per app, in the main area (the user may dock it anywhere there).
    const view = new SingletonView({
      shell,
      id: VIEW_ID,
      label: trans.__('Transfers'),
      caption: trans.__('Downloads, uploads and workflow runs'),
      icon: transfersIcon,
      content: () =>
        reactBody(
          trans,
          <TransfersBody model={model} onCancel={cancel} actionFor={actionFor} />,
          'jp-ReanaOpenbis-transfersBody'
        ),
      decorate: widget =>
        widget.toolbar.addItem(
          'clear',
          new CommandToolbarButton({
            commands,
            id: CommandIDs.clearTransfers,
            args: { toolbar: true }
          })
        )
    });
    const showView = (activate = true): void => void view.open(activate);

    addCommands(
      commands,
      [
        {
          id: CommandIDs.openTransfers,
          label: trans.__('Show Transfers'),
          caption: trans.__('Show downloads, uploads and workflow runs'),
          icon: transfersIcon,
          execute: () => showView()
        },
        {
          id: CommandIDs.clearTransfers,
          label: trans.__('Clear Finished Transfers'),
          caption: trans.__('Remove finished transfers from the list'),
          toolbarIcon: clearIcon,
          isEnabled: () => model.jobs.some(isFinished),
          execute: () => model.clearFinished()
        }
      ],
      palette,
      trans.__('Transfers')
    );
    model.changed.connect(() => commands.notifyCommandChanged(CommandIDs.clearTransfers));
    model.jobChanged.connect(() => commands.notifyCommandChanged(CommandIDs.clearTransfers));
    void restorer?.restore(view.tracker, {
      command: CommandIDs.openTransfers,
      name: () => 'transfers'
    });

    // The status bar asks `isActive` again on this signal (it passes no arguments).
    const handshakeSettled = new Signal<IServerInfoModel, void>(serverInfo);
    serverInfo.handshakeChanged.connect(() => handshakeSettled.emit());
    const statusItem = reactBody(
      trans,
      <TransfersStatus model={model} onOpen={() => showView()} />,
      'jp-ReanaOpenbis-transfersStatusItem'
    );
    statusItem.addClass('jp-mod-highlighted');
    statusBar?.registerStatusItem(PLUGIN_ID, {
      item: statusItem,
      align: 'left',
      rank: 5,
      isActive: () => serverInfo.handshake.status === 'ready',
      activeStateChanged: handshakeSettled
    });

    // Open the view when a job starts, if the user asked for it, and announce each end.
    const seen = new Set<string>();
    // Start once the server extension answers (now, or after a later successful check).
    let started = false;
    const startWhenReady = (): void => {
      if (started || serverInfo.handshake.status !== 'ready') {
        return;
      }
      started = true;
      model
        .start()
        .then(() => {
          model.jobs.forEach(job => seen.add(job.id));
          model.jobChanged.connect((_, job) => {
            if (!seen.has(job.id)) {
              seen.add(job.id);
              if (options.autoOpen && !isFinished(job)) {
                showView(false);
              }
            }
          });
        })
        .catch(reason => {
          started = false;
          Notification.error(trans.__('The transfers could not be read: %1', messageOf(reason)), {
            autoClose: false
          });
        });
    };
    serverInfo.handshakeChanged.connect(startWhenReady);
    void serverInfo.check().then(startWhenReady);
    model.finished.connect((_, job) => {
      if (options.notify && !announcedByReana(commands, job)) {
        announce(job, trans, actionFor(job));
      }
    });

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      options.autoOpen = setting('autoOpen') === true;
      options.notify = setting('notify') !== false;
    });
    return model;
  }
};

/** The cleared job ids in JupyterLab's state database, so they stay cleared after a reload. */
function stateStore(state: IStateDB): IClearedJobsStore {
  return {
    load: async () => {
      const value = await state.fetch(CLEARED_KEY);
      return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
    },
    save: async ids => {
      await state.save(CLEARED_KEY, [...ids]);
    }
  };
}

function datasetArgs(job: IJob): ReadonlyJSONObject {
  return {
    connection: String(job.details?.connection ?? ''),
    permId: String(job.result?.permId ?? '')
  };
}

function canOpenDataset(commands: CommandRegistry, job: IJob): boolean {
  return commands.hasCommand(CommandIDs.openbisOpenDataset) && !!job.result?.permId;
}

/**
 * Whether the REANA part tells about this job's end itself: it opens the run when its
 * start job is done, says at which step it failed, and announces the run's own end with
 * "Open" and "Download outputs". A second notification would only repeat it.
 */
function announcedByReana(commands: CommandRegistry, job: IJob): boolean {
  return (
    job.kind === REANA_RUN_KIND &&
    job.state !== 'cancelled' &&
    commands.hasCommand(CommandIDs.reanaOpenWorkflow)
  );
}

/** A notification for a job that just ended, with its follow-up action. */
function announce(job: IJob, trans: TranslationBundle, action: IJobAction | null): void {
  const actions = action ? [{ label: action.label, callback: action.execute }] : [];
  const label = jobLabel(job, trans);
  switch (job.state) {
    case 'done':
      Notification.success(trans.__('%1: done.', label), { autoClose: 8000, actions });
      break;
    case 'failed':
      Notification.error(
        trans.__('%1 failed: %2', label, job.error ?? trans.__('no reason given')),
        { autoClose: false }
      );
      break;
    case 'cancelled':
      Notification.info(trans.__('%1 was cancelled.', label), { autoClose: 5000 });
      break;
  }
}
