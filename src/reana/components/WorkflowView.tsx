import { launchIcon, refreshIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { FactList } from '../../components/FactList';
import { formatBytes } from '../../components/format';
import { useTranslation } from '../../components/translation';
import { shownName, shownText } from '../../components/names';
import { IWorkflowDetail } from '../api';
import {
  canDelete,
  canRestart,
  canStop,
  effectiveParameters,
  formatDuration,
  formatTime,
  isActive,
  progressOf,
  runDuration
} from '../status';
import { WorkflowModel } from '../WorkflowModel';
import { WorkspaceModel } from '../WorkspaceModel';
import { useNow, useSignal } from '../../components/hooks';
import { LogsTab } from './LogsTab';
import { WorkflowStatusBadge } from './WorkflowStatusBadge';
import { WorkspaceTab } from './WorkspaceTab';

/** What the view's buttons do; the plugin provides them (dialogs, commands, Transfers). */
export interface IWorkflowActions {
  start(restart: boolean): void;
  stop(): void;
  delete(): void;
  /** Download workspace paths (`['']`: everything) into the file browser's folder. */
  download(paths: string[]): void;
  /** Upload the files selected in the file browser into the workspace. */
  upload(): void;
  /** Publish the finished run's outputs to openBIS (the upload dialog, pre-filled). */
  publish?(): void;
  /** Write the run's Workflow Run RO-Crate into the file browser's folder. */
  exportCrate?(): void;
}

type Tab = 'overview' | 'logs' | 'workspace';

/** One run in the main area: status and actions, then overview, logs and workspace tabs. */
export function WorkflowView(props: {
  model: WorkflowModel;
  workspace: WorkspaceModel;
  actions: IWorkflowActions;
  /** Shown at the top of the overview (the run's openBIS inputs and publications). */
  provenance?: (detail: IWorkflowDetail) => React.ReactNode;
}): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  useSignal(model.changed);
  const [tab, setTab] = useState<Tab>('overview');
  const detail = model.detail;
  const now = useNow(detail ? isActive(detail.status) : false);
  const tabs: [Tab, string][] = [
    ['overview', trans.__('Overview')],
    ['logs', trans.__('Logs')],
    ['workspace', trans.__('Workspace')]
  ];
  const status = detail?.status ?? '';
  const duration = detail ? runDuration(detail, now) : null;
  const progress = detail ? progressOf(detail) : null;
  return (
    <div className="jp-ReanaOpenbis-workflowView">
      <header className="jp-ReanaOpenbis-viewHeader">
        <h2>{shownName(detail?.name ?? model.workflow)}</h2>
        {detail && <WorkflowStatusBadge status={detail.status} />}
        {progress && (
          <span className="jp-ReanaOpenbis-muted">
            {trans.__('%1/%2 jobs', progress.finished, progress.total)}
          </span>
        )}
        {duration !== null && (
          <span className="jp-ReanaOpenbis-muted">{formatDuration(duration)}</span>
        )}
        {model.following && detail && isActive(detail.status) && (
          <span className="jp-ReanaOpenbis-muted">{trans.__('following live')}</span>
        )}
        <div className="jp-ReanaOpenbis-viewActions">
          {status === 'created' && (
            <button
              className="jp-Button jp-mod-styled jp-mod-accept"
              onClick={() => actions.start(false)}
            >
              {trans.__('Start')}
            </button>
          )}
          {canStop(status) && (
            <button className="jp-Button jp-mod-styled jp-mod-warn" onClick={actions.stop}>
              {trans.__('Stop')}
            </button>
          )}
          {canRestart(status) && (
            <button
              className="jp-Button jp-mod-styled jp-mod-accept"
              onClick={() => actions.start(true)}
            >
              {trans.__('Restart')}
            </button>
          )}
          {status === 'finished' && actions.publish && (
            <button className="jp-Button jp-mod-styled jp-mod-reject" onClick={actions.publish}>
              {trans.__('Publish to openBIS…')}
            </button>
          )}
          {detail && actions.exportCrate && (
            <button
              className="jp-Button jp-mod-styled jp-mod-reject"
              title={trans.__(
                'Write the run as a Workflow Run RO-Crate into the file browser’s folder'
              )}
              onClick={actions.exportCrate}
            >
              {trans.__('Export RO-Crate')}
            </button>
          )}
          {detail && canDelete(status) && (
            <button className="jp-Button jp-mod-styled jp-mod-warn" onClick={actions.delete}>
              {trans.__('Delete…')}
            </button>
          )}
          {detail?.reanaUrl && (
            <a
              className="jp-Button jp-mod-styled jp-mod-reject jp-ReanaOpenbis-linkButton"
              href={detail.reanaUrl}
              target="_blank"
              rel="noopener noreferrer"
              title={trans.__('Open this run in REANA’s web UI')}
            >
              <launchIcon.react tag="span" />
              {trans.__('Open in REANA')}
            </a>
          )}
          <button
            className="jp-Button jp-mod-minimal jp-ReanaOpenbis-iconButton"
            title={trans.__('Refresh')}
            aria-label={trans.__('Refresh')}
            onClick={() => void model.refresh()}
          >
            <refreshIcon.react tag="span" />
          </button>
        </div>
      </header>
      {model.problem && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {model.problem.kind === 'not-found'
            ? trans.__('This run no longer exists on REANA.')
            : model.problem.message}
        </p>
      )}
      <div role="tablist" className="jp-ReanaOpenbis-tabs" aria-label={trans.__('Run views')}>
        {tabs.map(([id, label]) => (
          <button
            key={id}
            role="tab"
            aria-selected={tab === id}
            className={`jp-ReanaOpenbis-tab${tab === id ? ' jp-mod-current' : ''}`}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="jp-ReanaOpenbis-tabPanel">
        {tab === 'overview' &&
          (detail ? (
            <>
              {props.provenance?.(detail)}
              <Overview detail={detail} />
            </>
          ) : (
            <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>
          ))}
        {tab === 'logs' && <LogsTab model={model} />}
        {tab === 'workspace' && <WorkspaceTab model={props.workspace} actions={actions} />}
      </div>
    </div>
  );
}

function Overview(props: { detail: IWorkflowDetail }): JSX.Element {
  const trans = useTranslation();
  const { detail } = props;
  const parameters = effectiveParameters(detail);
  const rows: [string, string][] = [
    [trans.__('Engine'), detail.type ?? ''],
    [trans.__('Created'), formatTime(detail.created)],
    [trans.__('Started'), formatTime(detail.startedAt)],
    [trans.__('Finished'), formatTime(detail.finishedAt)],
    [trans.__('Stopped'), formatTime(detail.stoppedAt)],
    [
      trans.__('Workspace size'),
      formatBytes(detail.size?.raw) || (detail.size?.humanReadable ?? '')
    ],
    [trans.__('Current step'), detail.progress?.currentStep ?? ''],
    [trans.__('Run id'), detail.id]
  ];
  return (
    <div className="jp-ReanaOpenbis-overview">
      <FactList facts={rows} />
      <h3>{trans.__('Parameters')}</h3>
      {parameters.length === 0 ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('No parameters.')}</p>
      ) : (
        <table className="jp-ReanaOpenbis-table" aria-label={trans.__('Parameters')}>
          <tbody>
            {parameters.map(([name, value, overridden]) => (
              <tr key={name}>
                <th scope="row">{shownName(name)}</th>
                <td>
                  {value === '' ? (
                    <span className="jp-ReanaOpenbis-muted" title={trans.__('empty')}>
                      —
                    </span>
                  ) : (
                    shownText(typeof value === 'string' ? value : JSON.stringify(value))
                  )}
                  {overridden && (
                    <span className="jp-ReanaOpenbis-muted"> {trans.__('(given at start)')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail.specification && (
        <details className="jp-ReanaOpenbis-specification">
          <summary>{trans.__('Specification')}</summary>
          <pre>{shownText(JSON.stringify(detail.specification, null, 2))}</pre>
        </details>
      )}
    </div>
  );
}
