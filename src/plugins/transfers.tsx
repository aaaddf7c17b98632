import React from 'react';
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { clearIcon, folderIcon, launchIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import * as CommandIDs from '../commands';
import { addCommands, addToolbarButtons } from '../commandTable';
import { IJobAction } from '../components/transfers/TransferItem';
import { TransfersBody } from '../components/transfers/TransfersBody';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { IClearedJobsStore, IServerEvent, isFinished, JobsModel } from '../models/JobsModel';
import { messageOf } from '../request';
import { createSection } from '../section';
import { followSettings } from '../settings';
import { IJob, IJobsModel, IReanaOpenbisPanel } from '../tokens';

const PLUGIN_ID = 'reana-openbis-lab:transfers';
/** The kind of job that uploads a workflow to REANA and starts it (`IJob.kind`). */
const REANA_RUN_KIND = 'reana-run';
/** Where the Transfers section sits among the panel's sections. */
const SECTION_RANK = 300;
/** The IStateDB key of the cleared job ids. */
const CLEARED_KEY = `${PLUGIN_ID}:cleared`;

/**
 * The jobs model (provided to the other parts) and the Transfers section: every
 * download, upload and workflow run with progress, Cancel, and a notification at the end.
 */
export const transfersPlugin: JupyterFrontEndPlugin<IJobsModel> = {
  id: PLUGIN_ID,
  description: 'Live transfers and workflow runs: the jobs model and the Transfers section.',
  autoStart: true,
  provides: IJobsModel,
  requires: [IReanaOpenbisPanel, ITranslator],
  optional: [ISettingRegistry, IStateDB, ICommandPalette, IDefaultFileBrowser],
  activate: (
    app: JupyterFrontEnd,
    panel: IReanaOpenbisPanel,
    translator: ITranslator,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
    palette: ICommandPalette | null,
    browser: IDefaultFileBrowser | null
  ): IJobsModel => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { commands } = app;
    const events = app.serviceManager.events?.stream ?? null;
    const model = new JobsModel({
      serverSettings: app.serviceManager.serverSettings,
      events: events as ISignal<unknown, IServerEvent> | null,
      clearedStore: state ? stateStore(state) : undefined
    });
    const options = { autoOpen: true, notify: true };
    /** Bring the side panel to the front (the shell's job) with Transfers expanded. */
    const showSection = (): void => {
      panel.reveal(section);
    };

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
      if (job.kind === 'openbis-upload' && canOpenDataset(commands, job)) {
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
        Notification.error(trans.__('Could not cancel %1: %2', job.title, messageOf(reason)));
      });
    };

    const section = createSection({
      id: 'reana-openbis-lab-transfers-section',
      label: trans.__('Transfers'),
      trans,
      body: <TransfersBody model={model} onCancel={cancel} actionFor={actionFor} />
    });
    addToolbarButtons(section, commands, [CommandIDs.clearTransfers]);
    panel.addSection(section, SECTION_RANK);

    addCommands(
      commands,
      [
        {
          id: CommandIDs.openTransfers,
          label: trans.__('Show Transfers'),
          caption: trans.__('Show downloads, uploads and workflow runs'),
          execute: showSection
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

    // Bring the section forward when a job starts, and announce each end.
    const seen = new Set<string>();
    // Start once the server extension answers (now, or after a later successful check).
    let started = false;
    const startWhenReady = (): void => {
      if (started || panel.serverInfo.handshake.status !== 'ready') {
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
                showSection();
              }
            }
          });
        })
        .catch(reason => {
          started = false;
          Notification.error(trans.__('The transfers could not be read: %1', messageOf(reason)));
        });
    };
    panel.serverInfo.handshakeChanged.connect(startWhenReady);
    void panel.serverInfo.check().then(startWhenReady);
    model.finished.connect((_, job) => {
      if (options.notify && !announcedByReana(commands, job)) {
        announce(job, trans, actionFor(job));
      }
    });

    void followSettings(settingRegistry, PLUGIN_ID, trans, setting => {
      options.autoOpen = setting('autoOpen') !== false;
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
  switch (job.state) {
    case 'done':
      Notification.success(trans.__('%1: done.', job.title), { autoClose: 8000, actions });
      break;
    case 'failed':
      Notification.error(
        trans.__('%1 failed: %2', job.title, job.error ?? trans.__('no reason given')),
        {
          autoClose: false
        }
      );
      break;
    case 'cancelled':
      Notification.info(trans.__('%1 was cancelled.', job.title), { autoClose: 5000 });
      break;
  }
}
