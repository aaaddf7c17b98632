import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { requestAPI } from '../request';
import { IJob, IJobsModel } from '../tokens';

/** The `$id` of `reana_openbis_lab/events/job.yaml`. */
export const JOB_EVENT_SCHEMA_ID = 'https://events.jupyter.org/reana_openbis_lab/job/v1';

/** The job states after which nothing changes any more. */
const FINAL_STATES: ReadonlySet<IJob['state']> = new Set(['done', 'failed', 'cancelled']);

/** Whether a job has ended (done, failed or cancelled). */
export function isFinished(job: IJob): boolean {
  return FINAL_STATES.has(job.state);
}

/** One emission of jupyter_server's event bus, as far as this model reads it. */
export interface IServerEvent {
  readonly schema_id: string;
  readonly [key: string]: unknown;
}

/** Where the ids of cleared jobs are kept between page loads (an `IStateDB` in the app). */
export interface IClearedJobsStore {
  load(): Promise<readonly string[]>;
  save(ids: readonly string[]): Promise<void>;
}

/** What the model is built from. */
export interface IJobsModelOptions {
  serverSettings: ServerConnection.ISettings;
  /** `app.serviceManager.events.stream`; `null` when the app has no event manager. */
  events: ISignal<unknown, IServerEvent> | null;
  /** Fallback poll period (ms) while jobs run and the event stream stays silent. */
  pollInterval?: number;
  /**
   * How long (ms) a running job may go without an event before the stream is taken as
   * unavailable. The server throttles progress events to a few per second, and sends one
   * at every state change, so a silent stream while bytes move means it is down.
   */
  silenceLimit?: number;
  clearedStore?: IClearedJobsStore;
}

/**
 * Every job of the server, live, for the Transfers section and for whoever starts jobs.
 *
 * Updates come from jupyter_server's event bus (schema `JOB_EVENT_SCHEMA_ID`). The bus
 * gives no signal when its web socket is down, so the model watches for silence: while
 * a job is queued or running and no event arrived for `silenceLimit` ms, it reads
 * `GET /jobs` every `pollInterval` ms instead, until events flow again. Jobs the user
 * cleared stay hidden across page reloads (`clearedStore`); the server has no delete.
 */
export class JobsModel implements IJobsModel, IDisposable {
  constructor(options: IJobsModelOptions) {
    this._serverSettings = options.serverSettings;
    this._events = options.events;
    this._silenceLimit = options.silenceLimit ?? 5000;
    this._clearedStore = options.clearedStore ?? null;
    this._events?.connect(this._onEvent, this);
    this._poll = new Poll({
      factory: () => this._pollIfSilent(),
      frequency: { interval: options.pollInterval ?? 2000, backoff: true, max: 30_000 },
      standby: 'when-hidden',
      name: 'reana-openbis-lab:jobs'
    });
  }

  /** The jobs the user did not clear, newest first. */
  get jobs(): readonly IJob[] {
    return this._sorted().filter(job => !this._cleared.has(job.id));
  }

  get jobChanged(): ISignal<this, IJob> {
    return this._jobChanged;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted once when a job this page saw queued or running ends, so it can be
   * announced; jobs that had already ended when the page loaded are not announced.
   */
  get finished(): ISignal<this, IJob> {
    return this._finished;
  }

  /** Whether the fallback poll is reading `/jobs` because the event stream is silent. */
  get polling(): boolean {
    return this._pollingNow;
  }

  /** Whether any job is queued or running (hidden ones too). */
  get hasActive(): boolean {
    return [...this._jobs.values()].some(job => !isFinished(job));
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get(id: string): IJob | undefined {
    return this._jobs.get(id);
  }

  /**
   * Read the cleared ids and `GET /jobs`, then start watching.
   * @throws ApiError when the server does not list its jobs.
   */
  async start(): Promise<void> {
    if (this._clearedStore) {
      try {
        this._cleared = new Set(await this._clearedStore.load());
      } catch {
        this._cleared = new Set();
      }
    }
    await this.refresh();
    this._quietSince = Date.now();
    void this._poll.start();
  }

  /**
   * Read every job from the server. Cleared ids the server no longer knows are
   * forgotten, so the stored list cannot grow without bound.
   * @throws ApiError
   */
  async refresh(): Promise<void> {
    const answer = await requestAPI<{ jobs: IJob[] }>('jobs', {}, this._serverSettings);
    const known = new Set<string>();
    for (const job of answer.jobs) {
      known.add(job.id);
      this._apply(job, false);
    }
    const before = this._cleared.size;
    this._cleared = new Set([...this._cleared].filter(id => known.has(id)));
    if (this._cleared.size !== before) {
      void this._saveCleared();
    }
    this._changed.emit();
  }

  track(job: IJob): void {
    const isNew = !this._jobs.has(job.id);
    this._apply(job, true);
    if (isNew) {
      this._changed.emit();
    }
    if (!isFinished(job) && !this._pollingNow) {
      // Give the new job's first events time before calling the stream silent.
      this._quietSince = Date.now();
    }
  }

  /**
   * Ask the server to cancel a job; the job's own events then report `cancelled`.
   * @throws ApiError 404 (unknown job) or 409 (already finished).
   */
  async cancel(id: string): Promise<void> {
    const job = await requestAPI<IJob>(
      `jobs/${encodeURIComponent(id)}/cancel`,
      { method: 'POST' },
      this._serverSettings
    );
    this._apply(job, true);
  }

  /** Hide every finished job, now and after a reload. */
  async clearFinished(): Promise<void> {
    let cleared = 0;
    for (const job of this._jobs.values()) {
      if (isFinished(job) && !this._cleared.has(job.id)) {
        this._cleared.add(job.id);
        cleared++;
      }
    }
    if (cleared > 0) {
      this._changed.emit();
      await this._saveCleared();
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._events?.disconnect(this._onEvent, this);
    Signal.clearData(this);
  }

  private _onEvent(_: unknown, event: IServerEvent): void {
    if (event.schema_id !== JOB_EVENT_SCHEMA_ID) {
      return;
    }
    this._quietSince = Date.now();
    this._pollingNow = false;
    const job: Record<string, unknown> = { ...event };
    delete job.schema_id;
    if (typeof job.id !== 'string' || typeof job.state !== 'string') {
      return;
    }
    const isNew = !this._jobs.has(job.id);
    this._apply(job as unknown as IJob, true);
    if (isNew) {
      this._changed.emit();
    }
  }

  private async _pollIfSilent(): Promise<void> {
    if (!this.hasActive) {
      this._pollingNow = false;
      return;
    }
    const silentFor = Date.now() - this._quietSince;
    if (this._events !== null && silentFor < this._silenceLimit) {
      return;
    }
    this._pollingNow = true;
    await this.refresh();
  }

  /** Record a job's newest state; `live` marks updates seen while this page watched. */
  private _apply(job: IJob, live: boolean): void {
    const previous = this._jobs.get(job.id);
    if (previous && isFinished(previous) && !isFinished(job)) {
      // A late progress event after the final one: keep the final state.
      return;
    }
    if (previous && sameJob(previous, job)) {
      return;
    }
    this._jobs.set(job.id, job);
    this._jobChanged.emit(job);
    const wasActive = previous ? !isFinished(previous) : live;
    if (isFinished(job) && wasActive) {
      this._finished.emit(job);
    }
  }

  private _sorted(): IJob[] {
    return [...this._jobs.values()].sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
  }

  private async _saveCleared(): Promise<void> {
    try {
      await this._clearedStore?.save([...this._cleared]);
    } catch {
      // Only the "cleared" memory is lost: the jobs reappear after a reload.
    }
  }

  private readonly _serverSettings: ServerConnection.ISettings;
  private readonly _events: ISignal<unknown, IServerEvent> | null;
  private readonly _silenceLimit: number;
  private readonly _clearedStore: IClearedJobsStore | null;
  private readonly _poll: Poll;
  private readonly _jobs = new Map<string, IJob>();
  private _cleared = new Set<string>();
  /** Since when no job event arrived (or a job started, which gives its events time). */
  private _quietSince = Date.now();
  private _pollingNow = false;
  private _isDisposed = false;
  private readonly _jobChanged = new Signal<this, IJob>(this);
  private readonly _changed = new Signal<this, void>(this);
  private readonly _finished = new Signal<this, IJob>(this);
}

function sameJob(a: IJob, b: IJob): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
