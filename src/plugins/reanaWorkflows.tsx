import React from 'react';
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  Notification,
  ReactWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { reactBody } from '../reactBody';
import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { TRANSLATION_DOMAIN } from '../components/translation';
import { reanaOpenbisIcon } from '../icons';
import { ReanaApi } from '../reana/api';
import { IWorkflowActions, WorkflowView } from '../reana/components/WorkflowView';
import { runsChanged } from '../reana/events';
import { IReanaRuns, RunEvent, RunWatcher } from '../reana/RunWatcher';
import { canDelete, canRestart, canStop, describeProblem, statusLabel } from '../reana/status';
import { confirmDelete, confirmStop, startDialog } from '../reana/workflowDialogs';
import { WorkflowModel } from '../reana/WorkflowModel';
import { DEFAULT_INTERVALS, IRefreshIntervals } from '../reana/PolledModel';
import { WorkspaceModel } from '../reana/WorkspaceModel';
import { IJob, IJobsModel } from '../tokens';
import { followSettings } from '../settings';
import { REANA_SETTINGS_ID, refreshIntervals } from './reanaSection';
import { ProvenanceApi } from '../provenance/api';
import { exportCrate } from '../provenance/actions';
import { publishRun } from '../provenance/publishRun';
import { RunProvenance } from '../provenance/RunProvenance';

/** The tracker's namespace: the layout restorer keys open views by it. */
const TRACKER_NAMESPACE = 'reana-openbis-lab-workflow';

/** The main-area view of a workflow run. */
type WorkflowWidget = MainAreaWidget<ReactWidget> & {
  model?: WorkflowModel;
  actions?: IWorkflowActions;
};

/**
 * Workflow views in the main area (one per run, restored after a reload) and the watcher
 * that notifies when runs started from JupyterLab end.
 */
export const reanaWorkflowsPlugin: JupyterFrontEndPlugin<IReanaRuns> = {
  id: 'reana-openbis-lab:reana-workflows',
  description: 'REANA workflow views (status, logs, workspace, actions) and run notifications.',
  autoStart: true,
  provides: IReanaRuns,
  requires: [ITranslator],
  optional: [
    ILayoutRestorer,
    IJobsModel,
    IDefaultFileBrowser,
    IStateDB,
    ISettingRegistry,
    ICommandPalette
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    jobs: IJobsModel | null,
    fileBrowser: IDefaultFileBrowser | null,
    state: IStateDB | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ): IReanaRuns => {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const { commands, shell } = app;
    const api = new ReanaApi(app.serviceManager.serverSettings);
    const provenance = new ProvenanceApi(app.serviceManager.serverSettings);
    const tracker = new WidgetTracker<WorkflowWidget>({ namespace: TRACKER_NAMESPACE });
    let intervals: IRefreshIntervals = DEFAULT_INTERVALS;
    let notify = true;
    const watcher = new RunWatcher({
      api,
      state,
      jobs,
      events: app.serviceManager.events
    });

    const destination = () => fileBrowser?.model.path ?? '';
    const fail = (reason: unknown) => Notification.error(describeProblem(reason).message);

    /** Start a workspace download and show it in Transfers. */
    const download = async (connection: string, workflow: string, paths: string[]) => {
      const folder = destination();
      try {
        const job = await api.download(connection, workflow, paths, folder);
        jobs?.track(job);
        Notification.info(
          trans.__('Downloading from %1 into %2', workflow, folder || trans.__('the root folder')),
          { autoClose: 4000 }
        );
        whenJobEnds(job, () => void fileBrowser?.model.refresh());
      } catch (reason) {
        fail(reason);
      }
    };

    /** Run `then` when a job ends (through the jobs model when there is one). */
    const whenJobEnds = (job: IJob, then: (job: IJob) => void) => {
      if (!jobs) {
        return;
      }
      const slot = (_: IJobsModel, changed: IJob) => {
        if (changed.id === job.id && ['done', 'failed', 'cancelled'].includes(changed.state)) {
          jobs.jobChanged.disconnect(slot);
          then(changed);
        }
      };
      jobs.jobChanged.connect(slot);
    };

    const open = (connection: string, workflow: string): WorkflowWidget => {
      const id = `${TRACKER_NAMESPACE}-${connection}-${workflow}`;
      const existing = tracker.find(w => w.id === id);
      if (existing) {
        shell.activateById(existing.id);
        return existing;
      }
      let widget: WorkflowWidget | null = null;
      const model = new WorkflowModel({
        api,
        connection,
        workflow,
        intervals,
        isVisible: () => widget?.isVisible ?? false
      });
      const workspace = new WorkspaceModel(api, connection, workflow);
      const actions = {
        start: async (restart: boolean) => {
          const options = await startDialog(
            trans,
            model.detail?.name ?? workflow,
            model.detail?.parameters,
            restart
          );
          if (!options) {
            return;
          }
          try {
            const started = await model.start(options, restart);
            runsChanged.emit(connection);
            const name = started ?? model.detail?.name ?? workflow;
            watcher.remember({ connection, workflow: name });
            if (restart && started && started !== workflow) {
              open(connection, started);
            }
          } catch (reason) {
            fail(reason);
          }
        },
        stop: async () => {
          if (!(await confirmStop(trans, model.detail?.name ?? workflow))) {
            return;
          }
          try {
            await model.stop();
            runsChanged.emit(connection);
          } catch (reason) {
            fail(reason);
          }
        },
        delete: async () => {
          const name = model.detail?.name ?? workflow;
          const answer = await confirmDelete(trans, name);
          if (!answer) {
            return;
          }
          try {
            await model.delete(answer.workspace);
            runsChanged.emit(connection);
            Notification.success(trans.__('%1 deleted', name), { autoClose: 4000 });
            widget?.dispose();
          } catch (reason) {
            fail(reason);
          }
        },
        download: (paths: string[]) =>
          void download(connection, model.detail?.id ?? workflow, paths),
        upload: async () => {
          const sources = fileBrowser
            ? [...fileBrowser.selectedItems()].map(item => item.path)
            : [];
          if (sources.length === 0) {
            Notification.warning(
              trans.__('Select the files or folders to upload in the file browser first.')
            );
            return;
          }
          try {
            const job = await api.upload(connection, model.detail?.id ?? workflow, sources);
            jobs?.track(job);
            Notification.info(trans.__('Uploading %1 item(s) into %2', sources.length, workflow), {
              autoClose: 4000
            });
            whenJobEnds(job, () => void workspace.load());
          } catch (reason) {
            fail(reason);
          }
        }
      };
      /** Emitted when a publication ends, so the provenance part reads the run again. */
      const published = new Signal<WorkflowModel, void>(model);
      const runId = () => model.detail?.id ?? workflow;
      const loopActions: Pick<IWorkflowActions, 'publish' | 'exportCrate'> = {
        publish: () =>
          void publishRun({
            app,
            api: provenance,
            trans,
            connection,
            workflow: model.detail?.name ?? workflow,
            jobs,
            whenJobEnds,
            ended: () => published.emit()
          }),
        exportCrate: () =>
          void exportCrate(
            provenance,
            { source: 'run', connection, workflow: runId() },
            trans,
            fileBrowser
          )
      };
      const content = reactBody(
        trans,
        <WorkflowView
          model={model}
          workspace={workspace}
          actions={{ ...actions, ...loopActions }}
          provenance={detail => (
            <RunProvenance
              api={provenance}
              connection={connection}
              workflow={detail.id}
              version={detail.status}
              published={published}
              onOpenDataset={(openbis, permId) =>
                void commands.execute(CommandIDs.openbisOpenDataset, {
                  connection: openbis,
                  permId
                })
              }
            />
          )}
        />,
        'jp-ReanaOpenbis-workflowViewBody'
      );
      widget = new MainAreaWidget({ content }) as WorkflowWidget;
      widget.model = model;
      widget.actions = actions;
      widget.id = id;
      widget.title.label = workflow;
      widget.title.caption = trans.__('%1 on %2', workflow, connection);
      widget.title.icon = reanaOpenbisIcon;
      widget.title.closable = true;
      widget.disposed.connect(() => model.dispose());
      model.changed.connect(() => {
        const status = model.detail?.status;
        if (widget && status) {
          widget.title.caption = trans.__(
            '%1 on %2 (%3)',
            model.detail?.name ?? workflow,
            connection,
            statusLabel(status, trans)
          );
        }
      });
      void tracker.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
      return widget;
    };

    commands.addCommand(CommandIDs.reanaOpenWorkflow, {
      label: args =>
        args.workflow
          ? trans.__('Open REANA Run %1', String(args.workflow))
          : trans.__('Open REANA Run'),
      describedBy: {
        args: {
          type: 'object',
          properties: { connection: { type: 'string' }, workflow: { type: 'string' } },
          required: ['connection', 'workflow']
        }
      },
      execute: args => {
        const connection = String(args.connection ?? '');
        const workflow = String(args.workflow ?? '');
        if (connection && workflow) {
          open(connection, workflow);
        }
      }
    });

    /** Commands on the current workflow view, for the palette. */
    const current = () => tracker.currentWidget;
    const statusIs = (test: (status: string) => boolean) => {
      const status = current()?.model?.detail?.status;
      return status !== undefined && test(status);
    };
    const viewCommands: [
      string,
      string,
      (status: string) => boolean,
      (w: WorkflowWidget) => void
    ][] = [
      [
        CommandIDs.reanaStartWorkflow,
        trans.__('Start REANA Run…'),
        s => s === 'created',
        w => w.actions?.start(false)
      ],
      [CommandIDs.reanaStopWorkflow, trans.__('Stop REANA Run…'), canStop, w => w.actions?.stop()],
      [
        CommandIDs.reanaRestartWorkflow,
        trans.__('Restart REANA Run…'),
        canRestart,
        w => w.actions?.start(true)
      ],
      [
        CommandIDs.reanaDeleteWorkflow,
        trans.__('Delete REANA Run…'),
        canDelete,
        w => w.actions?.delete()
      ],
      [
        CommandIDs.reanaDownloadWorkspace,
        trans.__('Download REANA Run Workspace'),
        () => true,
        w => w.actions?.download([''])
      ],
      [
        CommandIDs.reanaOpenInReana,
        trans.__('Open REANA Run in REANA Web UI'),
        () => Boolean(current()?.model?.detail?.reanaUrl),
        w => window.open(w.model?.detail?.reanaUrl ?? '', '_blank', 'noopener')
      ]
    ];
    addCommands(
      commands,
      viewCommands.map(([id, label, enabled, run]) => ({
        id,
        label,
        isEnabled: () => statusIs(enabled),
        execute: () => {
          const widget = current();
          if (widget) {
            run(widget);
          }
        }
      })),
      palette,
      trans.__('REANA')
    );
    tracker.currentChanged.connect(() =>
      viewCommands.forEach(([id]) => commands.notifyCommandChanged(id))
    );

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.reanaOpenWorkflow,
        args: widget => ({
          connection: widget.model?.connection ?? '',
          workflow: widget.model?.workflow ?? ''
        }),
        name: widget => `${widget.model?.connection}/${widget.model?.workflow}`
      });
    }

    watcher.events.connect((_, event) => onRunEvent(event));
    const onRunEvent = (event: RunEvent) => {
      switch (event.kind) {
        case 'started':
          runsChanged.emit(event.run.connection);
          open(event.run.connection, event.run.workflow);
          if (notify && event.warnings?.length) {
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
          if (notify) {
            Notification.error(
              trans.__(
                'The run of %1 failed at step %2: %3',
                event.job.title,
                String(event.job.details?.failedStep ?? event.job.step ?? ''),
                event.job.error ?? ''
              ),
              { autoClose: false }
            );
          }
          break;
        case 'ended': {
          runsChanged.emit(event.run.connection);
          if (!notify) {
            break;
          }
          const { connection, workflow } = event.run;
          const status = event.detail.status;
          const openAction = {
            label: trans.__('Open'),
            callback: () => void open(connection, workflow)
          };
          if (status === 'finished') {
            const outputs = outputsOf(event.detail);
            Notification.success(trans.__('REANA run %1 finished', workflow), {
              autoClose: false,
              actions: [
                openAction,
                {
                  label: trans.__('Download outputs'),
                  callback: () => void download(connection, event.detail.id, outputs)
                }
              ]
            });
          } else if (status === 'failed') {
            Notification.error(trans.__('REANA run %1 failed', workflow), {
              autoClose: false,
              actions: [openAction]
            });
          } else {
            Notification.info(
              trans.__('REANA run %1 is %2', workflow, statusLabel(status, trans)),
              { actions: [openAction] }
            );
          }
          break;
        }
      }
    };

    void app.restored.then(() => watcher.restore());

    void followSettings(settingRegistry, REANA_SETTINGS_ID, trans, setting => {
      intervals = refreshIntervals(setting);
      watcher.intervals = intervals;
      tracker.forEach(widget => {
        if (widget.model) {
          widget.model.intervals = intervals;
        }
      });
      notify = setting('notifyRuns') !== false;
    });
    return watcher;
  }
};

/** The spec's declared outputs (files and directories), or the whole workspace. */
function outputsOf(detail: { specification?: unknown }): string[] {
  const spec = detail.specification as {
    outputs?: { files?: unknown; directories?: unknown };
  } | null;
  const paths: string[] = [];
  for (const list of [spec?.outputs?.files, spec?.outputs?.directories]) {
    if (Array.isArray(list)) {
      paths.push(...list.filter((p): p is string => typeof p === 'string'));
    }
  }
  return paths.length ? paths : [''];
}
