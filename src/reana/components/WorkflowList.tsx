import { HTMLSelect } from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import { useTranslation } from '../../components/translation';
import { shownName } from '../../components/names';
import { IWorkflow, WorkflowStatus } from '../api';
import {
  formatDuration,
  formatShortTime,
  formatTime,
  isActive,
  progressOf,
  runDuration,
  WORKFLOW_STATUSES
} from '../status';
import { WorkflowListModel } from '../WorkflowListModel';
import { useDebounced, useNow, useSignal } from '../../components/hooks';
import { WorkflowStatusBadge } from './WorkflowStatusBadge';

/**
 * One connection's runs: search, status filter, sort, pages. Only the page REANA sent is
 * rendered, however many runs the server has.
 */
export function WorkflowList(props: {
  model: WorkflowListModel;
  onOpen: (workflow: IWorkflow) => void;
}): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  useSignal(model.changed);
  const { query, state } = model;
  const [search, setSearch] = useState(query.search);
  const debouncedSearch = useDebounced(search, 300);
  useEffect(() => {
    if (debouncedSearch !== model.query.search) {
      model.setQuery({ search: debouncedSearch });
    }
  }, [debouncedSearch, model]);

  const page = state.status === 'loading' ? undefined : state.page;
  const items = page?.items ?? [];
  const now = useNow(items.some(item => isActive(item.status)));
  const total = page?.total ?? 0;
  // The numbers of the page shown, which answers the previous query until REANA answers.
  const shown = model.shownQuery ?? query;
  const first = total === 0 ? 0 : (shown.page - 1) * shown.size + 1;
  const last = Math.min(total, shown.page * shown.size);
  const pages = Math.max(1, Math.ceil(total / query.size));

  return (
    <div className="jp-ReanaOpenbis-workflows">
      <div className="jp-ReanaOpenbis-workflowFilters">
        <input
          className="jp-mod-styled"
          type="search"
          value={search}
          maxLength={200}
          placeholder={trans.__('Search runs by name')}
          aria-label={trans.__('Search runs by name')}
          onChange={e => setSearch(e.target.value)}
        />
        <StatusFilter
          selected={query.statuses}
          onChange={statuses => model.setQuery({ statuses })}
        />
        <HTMLSelect
          aria-label={trans.__('Sort runs')}
          value={query.sort}
          onChange={e => model.setQuery({ sort: e.target.value as 'asc' | 'desc' })}
          options={[
            { value: 'desc', label: trans.__('Newest first') },
            { value: 'asc', label: trans.__('Oldest first') }
          ]}
        />
      </div>
      {state.status === 'failed' && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {state.problem.kind === 'token'
            ? trans.__('REANA rejected the access token: edit the connection.')
            : trans.__('Could not list the runs: %1', state.problem.message)}
        </p>
      )}
      {state.status === 'loading' ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>
      ) : items.length === 0 && state.status === 'ready' ? (
        <p className="jp-ReanaOpenbis-muted">
          {query.search || query.statuses.length
            ? trans.__('No run matches.')
            : trans.__('No workflow run yet.')}
        </p>
      ) : (
        <ul
          className={`jp-ReanaOpenbis-workflowList jp-ReanaOpenbis-fill${model.stale ? ' jp-mod-stale' : ''}`}
          aria-label={trans.__('Workflow runs')}
          aria-busy={model.stale}
        >
          {items.map(workflow => (
            <WorkflowRow key={workflow.id} workflow={workflow} now={now} onOpen={props.onOpen} />
          ))}
        </ul>
      )}
      {total > 0 && (
        <div className="jp-ReanaOpenbis-pager">
          <button
            className="jp-Button jp-mod-minimal"
            disabled={query.page <= 1}
            onClick={() => model.setQuery({ page: query.page - 1 })}
          >
            {trans.__('Previous')}
          </button>
          <span aria-live="polite">{trans.__('%1–%2 of %3', first, last, total)}</span>
          <button
            className="jp-Button jp-mod-minimal"
            disabled={query.page >= pages}
            onClick={() => model.setQuery({ page: query.page + 1 })}
          >
            {trans.__('Next')}
          </button>
        </div>
      )}
    </div>
  );
}

function WorkflowRow(props: {
  workflow: IWorkflow;
  now: number;
  onOpen: (workflow: IWorkflow) => void;
}): JSX.Element {
  const trans = useTranslation();
  const { workflow } = props;
  const progress = progressOf(workflow);
  const duration = runDuration(workflow, props.now);
  return (
    <li className="jp-ReanaOpenbis-workflow">
      <button
        className="jp-ReanaOpenbis-link jp-ReanaOpenbis-workflowName"
        title={trans.__('Open %1', workflow.name)}
        onClick={() => props.onOpen(workflow)}
      >
        {shownName(workflow.name)}
      </button>
      <div className="jp-ReanaOpenbis-workflowMeta">
        <WorkflowStatusBadge status={workflow.status} />
        <span title={trans.__('Created %1', formatTime(workflow.created))}>
          {formatShortTime(workflow.created)}
        </span>
        {progress && (
          <span title={trans.__('Finished jobs of all jobs')}>
            {trans.__('%1/%2 jobs', progress.finished, progress.total)}
          </span>
        )}
        {duration !== null && <span title={trans.__('Duration')}>{formatDuration(duration)}</span>}
      </div>
      {progress && isActive(workflow.status) && (
        <div
          className="jp-ReanaOpenbis-progress"
          role="progressbar"
          aria-label={trans.__('Progress of %1', workflow.name)}
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.finished}
        >
          <div style={{ width: `${(100 * progress.finished) / progress.total}%` }} />
        </div>
      )}
    </li>
  );
}

/** A multi-select of statuses in a dropdown, compact enough for the side panel. */
function StatusFilter(props: {
  selected: readonly WorkflowStatus[];
  onChange: (statuses: WorkflowStatus[]) => void;
}): JSX.Element {
  const trans = useTranslation();
  const { selected } = props;
  const summary =
    selected.length === 0
      ? trans.__('All statuses')
      : selected.length === 1
        ? selected[0]
        : trans.__('%1 statuses', selected.length);
  const toggle = (status: WorkflowStatus, on: boolean) =>
    props.onChange(
      on
        ? WORKFLOW_STATUSES.filter(s => s === status || selected.includes(s))
        : selected.filter(s => s !== status)
    );
  return (
    <details className="jp-ReanaOpenbis-statusFilter">
      <summary aria-label={trans.__('Filter by status')}>{summary}</summary>
      <fieldset>
        <legend>{trans.__('Statuses')}</legend>
        {WORKFLOW_STATUSES.map(status => (
          <label key={status}>
            <input
              type="checkbox"
              checked={selected.includes(status)}
              onChange={e => toggle(status, e.target.checked)}
            />
            <WorkflowStatusBadge status={status} />
          </label>
        ))}
        {selected.length > 0 && (
          <button className="jp-Button jp-mod-minimal" onClick={() => props.onChange([])}>
            {trans.__('Any status')}
          </button>
        )}
      </fieldset>
    </details>
  );
}
