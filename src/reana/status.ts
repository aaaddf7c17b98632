import { TranslationBundle } from '@jupyterlab/translation';

import { ApiError, messageOf } from '../request';
import { IWorkflow, WorkflowStatus } from './api';

/** Every run status, in the order of a run's life (the status filter lists them so). */
export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = [
  'created',
  'queued',
  'pending',
  'running',
  'finished',
  'failed',
  'stopped',
  'deleted'
];

/** How a status looks: the CSS modifier of its badge (`jp-mod-<tone>`). */
export type StatusKind = 'active' | 'ok' | 'error' | 'idle';

/** Statuses after which a run changes no more by itself (logs and polling can stop). */
const TERMINAL: ReadonlySet<string> = new Set(['finished', 'failed', 'stopped', 'deleted']);

/** Statuses of a run REANA is still working on (lists and views keep polling). */
const ACTIVE: ReadonlySet<string> = new Set(['queued', 'pending', 'running']);

/** A run that will still change without the user doing anything. */
export function isActive(status: string): boolean {
  return ACTIVE.has(status);
}

/** A run that will not change any more by itself. */
export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/** Whether REANA would stop a run: only running ones (queued and pending: 409 "not running"). */
export function canStop(status: string): boolean {
  return status === 'running';
}

/** Whether REANA would restart a run: only finished or failed ones (403 otherwise). */
export function canRestart(status: string): boolean {
  return status === 'finished' || status === 'failed';
}

/** Whether a run can be deleted: anything REANA is not running right now. */
export function canDelete(status: string): boolean {
  return status !== 'running' && status !== 'deleted';
}

/**
 * The parameters a run used: the ones its specification declares, with the overrides
 * given at start on top. REANA keeps the two apart (`/parameters` and `/specification`).
 */
export function effectiveParameters(detail: {
  readonly parameters?: { readonly [name: string]: unknown } | null;
  readonly inputParameters?: { readonly [name: string]: unknown } | null;
}): [string, unknown, boolean][] {
  const overrides = detail.inputParameters ?? {};
  const merged = { ...(detail.parameters ?? {}), ...overrides };
  return Object.entries(merged).map(([name, value]) => [
    name,
    value,
    Object.prototype.hasOwnProperty.call(overrides, name)
  ]);
}

/** The badge kind of a status; unknown statuses (a newer REANA) look neutral. */
export function statusKind(status: string): StatusKind {
  if (ACTIVE.has(status)) {
    return 'active';
  }
  switch (status) {
    case 'finished':
      return 'ok';
    case 'failed':
      return 'error';
    default:
      return 'idle';
  }
}

/** The status in the user's language. */
export function statusLabel(status: string, trans: TranslationBundle): string {
  switch (status) {
    case 'created':
      return trans.__('created');
    case 'queued':
      return trans.__('queued');
    case 'pending':
      return trans.__('pending');
    case 'running':
      return trans.__('running');
    case 'finished':
      return trans.__('finished');
    case 'failed':
      return trans.__('failed');
    case 'stopped':
      return trans.__('stopped');
    case 'deleted':
      return trans.__('deleted');
    default:
      return status;
  }
}

/** REANA's times are UTC without a zone (`2026-01-05T08:00:30`); epoch ms, or null. */
export function parseReanaTime(text: string | null | undefined): number | null {
  if (!text) {
    return null;
  }
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? null : time;
}

/**
 * How long a run ran, in ms: from start to its end, or to `now` while it runs; null
 * before it started.
 */
export function runDuration(workflow: IWorkflow, now: number): number | null {
  const start = parseReanaTime(workflow.startedAt);
  if (start === null) {
    return null;
  }
  const end =
    parseReanaTime(workflow.finishedAt) ??
    parseReanaTime(workflow.stoppedAt) ??
    (isActive(workflow.status) ? now : null);
  return end === null ? null : Math.max(0, end - start);
}

/** `2d 03h`, `1h 02m`, `3m 05s`, `42s`: the shape REANA's own UI uses, with days for long runs. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) {
    return `${d}d ${pad(h)}h`;
  }
  if (h > 0) {
    return `${h}h ${pad(m)}m`;
  }
  if (m > 0) {
    return `${m}m ${pad(s)}s`;
  }
  return `${s}s`;
}

/** A local date and time for a REANA time, or '' when there is none. */
export function formatTime(text: string | null | undefined): string {
  const time = parseReanaTime(text);
  return time === null ? '' : new Date(time).toLocaleString();
}

/** A REANA time as month, day and time ("Jan 5, 08:42 AM"), short enough for a list row. */
export function formatShortTime(text: string | null | undefined): string {
  const time = parseReanaTime(text);
  return time === null
    ? ''
    : new Date(time).toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit'
      });
}

/** A local date (no time) for a REANA time, or '' when there is none. */
export function formatDate(text: string | null | undefined): string {
  const time = parseReanaTime(text);
  return time === null ? '' : new Date(time).toLocaleDateString();
}

/** Finished of total jobs, `null` when REANA does not know the total yet. */
export function progressOf(workflow: IWorkflow): { finished: number; total: number } | null {
  const total = workflow.progress?.total;
  if (!total) {
    return null;
  }
  return { finished: workflow.progress?.finished ?? 0, total };
}

/** What a failed REANA call means for the user, so the UI can react, not just print. */
export type ReanaProblem =
  /** REANA refused the access token: edit the connection. */
  | { kind: 'token'; message: string }
  /** The account's CPU or disk quota is used up: the message names it and what to do. */
  | { kind: 'quota'; message: string }
  /** No reana-client environment on the server: show the install command. */
  | { kind: 'reana-client'; message: string }
  /** The object is gone (deleted run, unknown connection). */
  | { kind: 'not-found'; message: string }
  /** REANA is down or slow. */
  | { kind: 'upstream'; message: string }
  /** The request itself was refused (`field` names the input at fault, `code` why). */
  | { kind: 'input'; message: string; field?: string; code?: string }
  | { kind: 'other'; message: string };

/** Sort a failure into what the user can do about it. */
export function describeProblem(error: unknown): ReanaProblem {
  if (!(error instanceof ApiError)) {
    return { kind: 'other', message: messageOf(error) };
  }
  const message = error.message;
  if (error.code === 'reana_client_missing') {
    return { kind: 'reana-client', message };
  }
  // Only REANA's own refusal means the token is wrong: a 401/403 without that code comes from
  // elsewhere (JupyterHub while the server stops, a proxy) and is shown as it is.
  if (error.code === 'token_rejected') {
    return { kind: 'token', message };
  }
  if (error.code === 'quota_exceeded') {
    return { kind: 'quota', message };
  }
  switch (error.status) {
    case 404:
      return { kind: 'not-found', message };
    case 502:
    case 504:
      return { kind: 'upstream', message };
    case 503:
      return error.code === 'reana_client_missing' || /reana-client/i.test(message)
        ? { kind: 'reana-client', message }
        : { kind: 'upstream', message };
    case 400:
    case 409:
      return { kind: 'input', message, field: error.field, code: error.code };
    default:
      return { kind: 'other', message };
  }
}

/**
 * The spec's `outputs.files` and `outputs.directories` (folders download as one stream
 * each); empty when it declares none.
 */
export function declaredOutputs(detail: { specification?: unknown }): string[] {
  const spec = detail.specification as {
    outputs?: { files?: unknown; directories?: unknown };
  } | null;
  const paths: string[] = [];
  for (const list of [spec?.outputs?.files, spec?.outputs?.directories]) {
    if (Array.isArray(list)) {
      paths.push(...list.filter((p): p is string => typeof p === 'string'));
    }
  }
  return paths;
}
