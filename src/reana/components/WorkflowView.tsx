import { TranslationBundle } from '@jupyterlab/translation';
import { launchIcon, refreshIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { FactList } from '../../components/FactList';
import { formatBytes } from '../../components/format';
import { useTranslation } from '../../components/translation';
import { shownName, shownText } from '../../components/names';
import { IFailure, IRetentionRule, IWorkflowDetail } from '../api';
import {
  canDelete,
  canRestart,
  canStop,
  declaredOutputs,
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
        {tab === 'workspace' && (
          <WorkspaceTab
            model={props.workspace}
            actions={actions}
            outputs={detail ? declaredOutputs(detail) : []}
            retention={detail?.retention}
          />
        )}
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
    [trans.__('Files expire'), expiry(detail, trans)],
    [trans.__('Run id'), detail.id]
  ];
  return (
    <div className="jp-ReanaOpenbis-overview">
      {detail.failure && <FailureReason failure={detail.failure} />}
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
      {detail.retention && detail.retention.rules.length > 0 && (
        <RetentionRules rules={detail.retention.rules} />
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

/** When REANA deletes files of the run: a date once it ended, else days after its end. */
function expiry(detail: IWorkflowDetail, trans: TranslationBundle): string {
  const retention = detail.retention;
  if (!retention) {
    return '';
  }
  if (retention.expiresOn) {
    return trans.__('from %1 (see the retention rules)', formatTime(retention.expiresOn));
  }
  if (retention.expiresAfterDays !== null) {
    return trans._n(
      '%1 day after the run ends',
      '%1 days after the run ends',
      retention.expiresAfterDays
    );
  }
  return retention.rules.length ? '' : trans.__('never (kept until the run is deleted)');
}

/** Why the run failed: the failed step and the end of its log, or what REANA said. */
function FailureReason(props: { failure: IFailure }): JSX.Element {
  const trans = useTranslation();
  const { step, message } = props.failure;
  return (
    <div className="jp-ReanaOpenbis-failure" role="alert">
      <strong>
        {step
          ? trans.__('Failed at step %1', step)
          : trans.__('The run failed before any step ran')}
      </strong>
      {message && <pre className="jp-ReanaOpenbis-failureLog">{message}</pre>}
    </div>
  );
}

/** The run's workspace retention rules, as REANA applies them. */
function RetentionRules(props: { rules: readonly IRetentionRule[] }): JSX.Element {
  const trans = useTranslation();
  const statusWords: { [status: string]: string } = {
    created: trans.__('waits for the run to end'),
    active: trans.__('active'),
    inactive: trans.__('inactive (run restarted)'),
    pending: trans.__('deleting now'),
    applied: trans.__('files deleted')
  };
  return (
    <>
      <h3>{trans.__('Retention rules')}</h3>
      <table className="jp-ReanaOpenbis-table" aria-label={trans.__('Retention rules')}>
        <thead>
          <tr>
            <th scope="col">{trans.__('Files')}</th>
            <th scope="col">{trans.__('Kept')}</th>
            <th scope="col">{trans.__('Deleted on')}</th>
            <th scope="col">{trans.__('State')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rules.map(rule => (
            <tr key={rule.pattern}>
              <td>
                <code>{rule.pattern}</code>
              </td>
              <td>{rule.days === null ? '' : trans._n('%1 day', '%1 days', rule.days)}</td>
              <td>{formatTime(rule.applyOn)}</td>
              <td>{statusWords[rule.status] ?? rule.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
