import { Event } from '@jupyterlab/services';
import { IStateDB } from '@jupyterlab/statedb';
import { JSONObject, PartialJSONObject, Token } from '@lumino/coreutils';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { JOB_EVENT_SCHEMA_ID } from '../models/JobsModel';
import { IJob, IJobsModel } from '../tokens';
import { IWorkflowDetail, ReanaApi } from './api';
import { isTerminal } from './status';
import { IRefreshIntervals, PolledModel } from './PolledModel';

/** Where the runs started from JupyterLab are remembered across reloads. */
const STATE_KEY = 'reana-openbis-lab:started-runs';

/** A run started from JupyterLab, watched until it ends. */
export interface IStartedRun {
  readonly connection: string;
  /** REANA's run name (`name.N`). */
  readonly workflow: string;
  /** The server's run job, while it is still creating, uploading or starting. */
  readonly jobId?: string;
}

/** What happened to a watched run. */
export type RunEvent =
  /** The run job created and started the run; `warnings`: what a 0.95 server found at start. */
  | { kind: 'started'; run: IStartedRun; warnings?: readonly string[] }
  /** The run job failed before the run started (validate, upload, start). */
  | { kind: 'job-failed'; job: IJob; connection: string }
  /** REANA reports the run as ended. */
  | { kind: 'ended'; run: IStartedRun; detail: IWorkflowDetail };

/** The watcher of runs started from JupyterLab, for the parts that start runs. */
export interface IReanaRuns {
  /** Watch a run job the server just accepted (`POST /reana/run`). */
  watchJob(job: IJob, connection: string): void;
  /** Watch a run that was started (or restarted) directly. */
  remember(run: IStartedRun): void;
  readonly events: ISignal<IReanaRuns, RunEvent>;
}

export const IReanaRuns = new Token<IReanaRuns>(
  'reana-openbis-lab:IReanaRuns',
  'The REANA runs started from JupyterLab, watched until they end (notifications).'
);

/**
 * Watches the runs the user started from JupyterLab until they end, also when the panel is
 * closed and after a reload (the list lives in the state database).
 *
 * A run job is followed through the jobs model when there is one, else through
 * jupyter_server's event stream. A started run is polled (details only) with the same
 * backoff as the lists while any watched run is active.
 */
export class RunWatcher extends PolledModel implements IReanaRuns {
  constructor(options: RunWatcher.IOptions) {
    super({ ...options, name: 'started-runs', auto: false, idle: true });
    this.#api = options.api;
    this.#state = options.state;
    this.#jobs = options.jobs;
    if (this.#jobs) {
      this.#jobs.jobChanged.connect((_, job) => this._onJob(job), this);
    } else {
      options.events?.stream.connect(this.#onEvent, this);
    }
  }

  get events(): ISignal<this, RunEvent> {
    return this.#events;
  }

  /** The runs being watched. */
  get runs(): readonly IStartedRun[] {
    return this.#runs;
  }

  /** Read the remembered runs (after a reload) and watch them. */
  async restore(): Promise<void> {
    const saved = await this.#state?.fetch(STATE_KEY);
    const runs = (saved as PartialJSONObject | undefined)?.runs;
    if (Array.isArray(runs)) {
      for (const run of runs) {
        if (isStartedRun(run)) {
          this.#add(run);
        }
      }
    }
    // Run jobs that ended while the page was away: ask once.
    for (const run of this.#runs.filter(r => r.jobId)) {
      try {
        this._onJob(await this.#api.getJob(run.jobId!));
      } catch {
        this.#replace(run, null);
      }
    }
    this.#kick();
  }

  watchJob(job: IJob, connection: string): void {
    this.#add({ connection, workflow: '', jobId: job.id });
    this.#save();
    this._onJob(job);
    this.#kick();
  }

  remember(run: IStartedRun): void {
    this.#add(run);
    this.#save();
    this.#kick();
  }

  #onEvent(_: Event.IManager, event: Event.Emission): void {
    if (event.schema_id === JOB_EVENT_SCHEMA_ID) {
      this._onJob(event as unknown as IJob);
    }
  }

  private _onJob(job: IJob): void {
    const run = this.#runs.find(r => r.jobId === job.id);
    if (!run) {
      return;
    }
    if (job.state === 'done') {
      const name = job.result?.workflowName;
      const started: IStartedRun = {
        connection: run.connection,
        workflow: typeof name === 'string' ? name : String(job.result?.workflowId ?? '')
      };
      this.#replace(run, started);
      const warnings = job.result?.startWarnings;
      this.#events.emit({
        kind: 'started',
        run: started,
        warnings: Array.isArray(warnings) ? warnings.map(String) : []
      });
      this.#kick();
    } else if (job.state === 'failed' || job.state === 'cancelled') {
      this.#replace(run, null);
      this.#events.emit({ kind: 'job-failed', job, connection: run.connection });
    }
  }

  protected async _tick(): Promise<void> {
    // Run jobs whose end no event brought (a missed event, no event stream): ask.
    for (const run of this.#runs.filter(r => r.jobId)) {
      try {
        this._onJob(await this.#api.getJob(run.jobId!));
      } catch {
        continue;
      }
    }
    const watched = this.#runs.filter(run => run.workflow && !run.jobId);
    let changed = false;
    for (const run of watched) {
      let detail: IWorkflowDetail;
      try {
        detail = await this.#api.getWorkflow(run.connection, run.workflow);
      } catch {
        continue;
      }
      if (this.#statuses.get(keyOf(run)) !== detail.status) {
        changed = true;
        this.#statuses.set(keyOf(run), detail.status);
      }
      if (isTerminal(detail.status)) {
        this.#replace(run, null);
        this.#events.emit({ kind: 'ended', run, detail });
      }
    }
    if (this.#runs.length > 0) {
      this._backoff(changed, true);
    } else {
      this._schedule(Poll.NEVER);
    }
  }

  #kick(): void {
    if (this.#runs.length > 0) {
      void this.refresh();
    }
  }

  #add(run: IStartedRun): void {
    if (!this.#runs.some(r => keyOf(r) === keyOf(run))) {
      this.#runs = [...this.#runs, run];
    }
  }

  #replace(run: IStartedRun, by: IStartedRun | null): void {
    this.#runs = this.#runs.filter(r => r !== run);
    if (by) {
      this.#add(by);
    }
    this.#save();
  }

  #save(): void {
    const runs = this.#runs.map(run => ({ ...run }) as JSONObject);
    void this.#state?.save(STATE_KEY, { runs });
  }

  readonly #api: ReanaApi;
  readonly #state: IStateDB | null;
  readonly #jobs: IJobsModel | null;
  #runs: IStartedRun[] = [];
  readonly #statuses = new Map<string, string>();
  readonly #events = new Signal<this, RunEvent>(this);
}

function keyOf(run: IStartedRun): string {
  return run.jobId ? `job:${run.jobId}` : `${run.connection}/${run.workflow}`;
}

function isStartedRun(value: unknown): value is IStartedRun {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { connection, workflow, jobId } = value as Record<string, unknown>;
  return (
    typeof connection === 'string' &&
    typeof workflow === 'string' &&
    (jobId === undefined || typeof jobId === 'string')
  );
}

export namespace RunWatcher {
  export interface IOptions {
    api: ReanaApi;
    state: IStateDB | null;
    jobs: IJobsModel | null;
    /** jupyter_server's events, used when there is no jobs model. */
    events?: Event.IManager;
    intervals?: IRefreshIntervals;
  }
}
