import { Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { IJobsModel } from '../tokens';
import { ReanaApi } from './api';
import { IWorkflowActions } from './components/WorkflowView';
import { runsChanged } from './events';
import { IReanaRuns, RunEvent } from './RunWatcher';
import { declaredOutputs, describeProblem, statusLabel } from './status';
import { confirmDelete, confirmStop, startDialog } from './workflowDialogs';
import { WorkflowModel } from './WorkflowModel';
import { WorkspaceModel } from './WorkspaceModel';

/**
 * What the user can do to REANA runs, apart from where it is offered: start, stop, delete,
 * move workspace files (as transfers), and hear how watched runs end. The plugin wires it
 * to the views, the palette and the run watcher.
 */
export class WorkflowController {
  constructor(options: WorkflowController.IOptions) {
    this.#api = options.api;
    this.#trans = options.trans;
    this.#jobs = options.jobs;
    this.#fileBrowser = options.fileBrowser;
    this.#runs = options.runs;
    this.#open = options.open;
  }

  /** Whether the ends of watched runs are announced (setting `notifyRuns`). */
  notify = true;

  /**
   * Download workspace paths (`['']`: all) into the file browser's folder, as a transfer;
   * the folder is read again when it is done. Items there already: the user is asked in
   * place (replace, keep both, cancel). `label` is the run as people know it (`name.number`),
   * `workflow` whatever identifies it (its id).
   */
  async download(
    connection: string,
    workflow: string,
    label: string,
    paths: string[]
  ): Promise<void> {
    const trans = this.#trans;
    const folder = this.#fileBrowser?.model.path ?? '';
    try {
      const { downloadFromWorkspace } = await import('./workspaceDownload');
      const job = await downloadFromWorkspace({
        api: this.#api,
        trans,
        connection,
        workflow,
        label,
        paths,
        destination: folder
      });
      if (!job) {
        return;
      }
      Notification.info(
        trans.__('Downloading from %1 into %2', label, folder || trans.__('the root folder')),
        { autoClose: 4000 }
      );
      void this.#jobs?.whenFinished(job).then(() => this.#fileBrowser?.model.refresh());
    } catch (reason) {
      this.#fail(reason);
    }
  }

  /** The actions of one run's view; `close` closes that view (after a delete). */
  actionsFor(view: {
    connection: string;
    workflow: string;
    model: WorkflowModel;
    workspace: WorkspaceModel;
    close: () => void;
  }): IWorkflowActions {
    const { connection, workflow, model, workspace } = view;
    const trans = this.#trans;
    const nameOf = () => model.detail?.name ?? workflow;
    const idOf = () => model.detail?.id ?? workflow;
    return {
      start: async (restart: boolean) => {
        const options = await startDialog(trans, nameOf(), model.detail?.parameters, restart);
        if (!options) {
          return;
        }
        try {
          const started = await model.start(options, restart);
          runsChanged.emit(connection);
          this.#runs.remember({ connection, workflow: started ?? nameOf() });
          if (restart && started && started !== workflow) {
            this.#open(connection, started);
          }
        } catch (reason) {
          this.#fail(reason);
        }
      },
      stop: async () => {
        if (!(await confirmStop(trans, nameOf()))) {
          return;
        }
        try {
          await model.stop();
          runsChanged.emit(connection);
        } catch (reason) {
          this.#fail(reason);
        }
      },
      delete: async () => {
        const name = nameOf();
        const answer = await confirmDelete(trans, name);
        if (!answer) {
          return;
        }
        try {
          await model.delete(answer.workspace);
          runsChanged.emit(connection);
          Notification.success(trans.__('%1 deleted', name), { autoClose: 4000 });
          view.close();
        } catch (reason) {
          this.#fail(reason);
        }
      },
      download: (paths: string[]) => void this.download(connection, idOf(), nameOf(), paths),
      upload: async () => {
        const browser = this.#fileBrowser;
        const sources = browser ? [...browser.selectedItems()].map(item => item.path) : [];
        if (sources.length === 0) {
          Notification.warning(
            trans.__('Select the files or folders to upload in the file browser first.'),
            { autoClose: 5000 }
          );
          return;
        }
        try {
          const job = await this.#api.upload(connection, idOf(), sources);
          Notification.info(
            trans._n(
              'Uploading %1 item into %2',
              'Uploading %1 items into %2',
              sources.length,
              nameOf()
            ),
            { autoClose: 4000 }
          );
          void this.#jobs?.whenFinished(job).then(() => workspace.load());
        } catch (reason) {
          this.#fail(reason);
        }
      }
    };
  }

  /** Tell about a watched run: open it once started, and say how it ended or failed. */
  announce(event: RunEvent): void {
    const trans = this.#trans;
    switch (event.kind) {
      case 'started':
        runsChanged.emit(event.run.connection);
        this.#open(event.run.connection, event.run.workflow);
        if (this.notify && event.warnings?.length) {
          Notification.warning(
            trans.__(
              'REANA started %1 with warnings: %2',
              event.run.workflow,
              event.warnings.join('; ')
            ),
            { autoClose: false }
          );
        }
        break;
      case 'job-failed':
        if (this.notify) {
          // The run by the name REANA gave it (`name.number`) once created, else as asked.
          const details = event.job.details ?? {};
          const what = [details.workflowName, details.name, details.path].find(
            (value): value is string => typeof value === 'string' && value !== ''
          );
          Notification.error(
            trans.__(
              'Running %1 on REANA failed at step %2: %3',
              what ?? event.job.title,
              String(details.failedStep ?? event.job.step ?? ''),
              event.job.error ?? ''
            ),
            { autoClose: false }
          );
        }
        break;
      case 'ended': {
        runsChanged.emit(event.run.connection);
        if (!this.notify) {
          break;
        }
        const { connection, workflow } = event.run;
        const status = event.detail.status;
        const openAction = {
          label: trans.__('Open'),
          callback: () => this.#open(connection, workflow)
        };
        if (status === 'finished') {
          const outputs = outputsOf(event.detail);
          Notification.success(trans.__('REANA run %1 finished', workflow), {
            autoClose: false,
            actions: [
              openAction,
              {
                label: trans.__('Download outputs'),
                callback: () => void this.download(connection, event.detail.id, workflow, outputs)
              }
            ]
          });
        } else if (status === 'failed') {
          Notification.error(trans.__('REANA run %1 failed', workflow), {
            autoClose: false,
            actions: [openAction]
          });
        } else {
          Notification.info(trans.__('REANA run %1 is %2', workflow, statusLabel(status, trans)), {
            autoClose: 5000,
            actions: [openAction]
          });
        }
        break;
      }
    }
  }

  /** A refusal of the user's action, as a toast (a notification is silent otherwise). */
  #fail(reason: unknown): void {
    Notification.error(describeProblem(reason).message, { autoClose: 8000 });
  }

  readonly #api: ReanaApi;
  readonly #trans: TranslationBundle;
  readonly #jobs: IJobsModel | null;
  readonly #fileBrowser: IDefaultFileBrowser | null;
  readonly #runs: IReanaRuns;
  readonly #open: (connection: string, workflow: string) => void;
}

export namespace WorkflowController {
  export interface IOptions {
    api: ReanaApi;
    trans: TranslationBundle;
    /** Transfers: downloads and uploads show there, and their ends refresh what they changed. */
    jobs: IJobsModel | null;
    fileBrowser: IDefaultFileBrowser | null;
    /** Runs started here are remembered, to announce their end. */
    runs: IReanaRuns;
    /** Open (or bring forward) a run's view. */
    open: (connection: string, workflow: string) => void;
  }
}

/** The spec's declared outputs (files and directories), or the whole workspace. */
export function outputsOf(detail: { specification?: unknown }): string[] {
  const declared = declaredOutputs(detail);
  return declared.length ? declared : [''];
}
