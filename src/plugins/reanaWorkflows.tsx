import React from 'react';
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, ReactWidget, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { reactBody } from '../reactBody';
import * as CommandIDs from '../commands';
import { addCommands } from '../commandTable';
import { shownName } from '../components/names';
import { loadTranslation } from '../components/translation';
import { reanaIcon } from '../icons';
import { ReanaApi } from '../reana/api';
import { IWorkflowActions, WorkflowView } from '../reana/components/WorkflowView';
import { IReanaRuns, RunWatcher } from '../reana/RunWatcher';
import { canDelete, canRestart, canStop, statusLabel } from '../reana/status';
import { WorkflowController } from '../reana/WorkflowController';
import { WorkflowModel } from '../reana/WorkflowModel';
import { DEFAULT_INTERVALS, IRefreshIntervals } from '../reana/PolledModel';
import { WorkspaceModel } from '../reana/WorkspaceModel';
import { IJobsModel } from '../tokens';
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
    const trans = loadTranslation(translator);
    const { commands, shell } = app;
    const api = new ReanaApi(app.serviceManager.serverSettings);
    const provenance = new ProvenanceApi(app.serviceManager.serverSettings);
    const tracker = new WidgetTracker<WorkflowWidget>({ namespace: TRACKER_NAMESPACE });
    let intervals: IRefreshIntervals = DEFAULT_INTERVALS;
    const watcher = new RunWatcher({
      api,
      state,
      jobs,
      events: app.serviceManager.events
    });

    const controller = new WorkflowController({
      api,
      trans,
      jobs,
      fileBrowser,
      runs: watcher,
      open: (connection, workflow) => void open(connection, workflow)
    });

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
      const actions = controller.actionsFor({
        connection,
        workflow,
        model,
        workspace,
        close: () => widget?.dispose()
      });
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
      widget.title.label = shownName(workflow);
      widget.title.caption = trans.__('%1 on %2', workflow, connection);
      widget.title.icon = reanaIcon;
      widget.title.closable = true;
      widget.disposed.connect(() => model.dispose());
      model.changed.connect(() => {
        const status = model.detail?.status;
        if (widget && model.detail?.name) {
          widget.title.label = shownName(model.detail.name);
        }
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
        // Why it cannot act, when it cannot: shown with the greyed palette entry.
        caption: () =>
          !current()
            ? trans.__('Open a REANA run first')
            : statusIs(enabled)
              ? ''
              : trans.__(
                  'Not possible while the run is %1',
                  statusLabel(current()?.model?.detail?.status ?? '', trans)
                ),
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

    watcher.events.connect((_, event) => controller.announce(event));

    void app.restored.then(() => watcher.restore());

    void followSettings(settingRegistry, REANA_SETTINGS_ID, trans, setting => {
      intervals = refreshIntervals(setting);
      watcher.intervals = intervals;
      tracker.forEach(widget => {
        if (widget.model) {
          widget.model.intervals = intervals;
        }
      });
      controller.notify = setting('notifyRuns') !== false;
    });
    return watcher;
  }
};
