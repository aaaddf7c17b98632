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
    this.#serverSettings = options.serverSettings;
    this.#events = options.events;
    this.#silenceLimit = options.silenceLimit ?? 5000;
    this.#clearedStore = options.clearedStore ?? null;
    this.#events?.connect(this.#onEvent, this);
    this.#poll = new Poll({
      factory: () => this.#pollIfSilent(),
      frequency: { interval: options.pollInterval ?? 2000, backoff: true, max: 30_000 },
      standby: 'when-hidden',
      name: 'reana-openbis-lab:jobs'
    });
  }

  /** The jobs the user did not clear, newest first. */
  get jobs(): readonly IJob[] {
    return this.#sorted().filter(job => !this.#cleared.has(job.id));
  }

  get jobChanged(): ISignal<this, IJob> {
    return this.#jobChanged;
  }

  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /**
   * Emitted once when a job this page saw queued or running ends, so it can be
   * announced; jobs that had already ended when the page loaded are not announced.
   */
  get finished(): ISignal<this, IJob> {
    return this.#finished;
  }

  /** Whether the fallback poll is reading `/jobs` because the event stream is silent. */
  get polling(): boolean {
    return this.#pollingNow;
  }

  /** Whether any job is queued or running (hidden ones too). */
  get hasActive(): boolean {
    return [...this.#jobs.values()].some(job => !isFinished(job));
  }

  get isDisposed(): boolean {
    return this.#isDisposed;
  }

  get(id: string): IJob | undefined {
    return this.#jobs.get(id);
  }

  /**
   * Read the cleared ids and `GET /jobs`, then start watching. Watching starts even when
   * the listing fails: the poll then asks again (with back-off) until it succeeds, so the
   * list does not stay empty until something else happens.
   * @throws ApiError when the server does not list its jobs (this time).
   */
  async start(): Promise<void> {
    if (this.#clearedStore) {
      try {
        this.#cleared = new Set(await this.#clearedStore.load());
      } catch {
        this.#cleared = new Set();
      }
    }
    try {
      await this.refresh();
    } finally {
      this.#quietSince = Date.now();
      void this.#poll.start();
    }
  }

  /**
   * Read every job from the server. Cleared ids the server no longer knows are
   * forgotten, so the stored list cannot grow without bound.
   * @throws ApiError
   */
  async refresh(): Promise<void> {
    // Events that arrive while the listing is on its way are newer than what it says about
    // their jobs: the listing must not take them back (nor the other way round).
    const asked = this.#eventCount;
    const answer = await requestAPI<{ jobs: IJob[] }>('jobs', {}, this.#serverSettings);
    this.#listed = true;
    const known = new Set<string>();
    for (const job of answer.jobs) {
      known.add(job.id);
      if ((this.#lastEvent.get(job.id) ?? -1) < asked) {
        this.#apply(job, false);
      }
    }
    const before = this.#cleared.size;
    this.#cleared = new Set([...this.#cleared].filter(id => known.has(id)));
    if (this.#cleared.size !== before) {
      void this.#saveCleared();
    }
    this.#changed.emit();
  }

  track(job: IJob): void {
    const isNew = !this.#jobs.has(job.id);
    this.#apply(job, true);
    if (isNew) {
      this.#changed.emit();
    }
    if (!isFinished(job) && !this.#pollingNow) {
      // Give the new job's first events time before calling the stream silent.
      this.#quietSince = Date.now();
    }
  }

  whenFinished(job: IJob): Promise<IJob> {
    this.track(job);
    // After `track` the model holds the newest state it saw: a final event that came before
    // the start's answer is kept, and nothing can arrive between this check and `connect`.
    const current = this.get(job.id) ?? job;
    if (isFinished(current)) {
      return Promise.resolve(current);
    }
    return new Promise(resolve => {
      const slot = (_: this, changed: IJob) => {
        if (changed.id === job.id && isFinished(changed)) {
          this.#jobChanged.disconnect(slot);
          resolve(changed);
        }
      };
      this.#jobChanged.connect(slot);
    });
  }

  /**
   * Ask the server to cancel a job; the job's own events then report `cancelled`.
   * @throws ApiError 404 (unknown job) or 409 (already finished).
   */
  async cancel(id: string): Promise<void> {
    const job = await requestAPI<IJob>(
      `jobs/${encodeURIComponent(id)}/cancel`,
      { method: 'POST' },
      this.#serverSettings
    );
    this.#apply(job, true);
  }

  /** Hide every finished job, now and after a reload. */
  async clearFinished(): Promise<void> {
    let cleared = 0;
    for (const job of this.#jobs.values()) {
      if (isFinished(job) && !this.#cleared.has(job.id)) {
        this.#cleared.add(job.id);
        cleared++;
      }
    }
    if (cleared > 0) {
      this.#changed.emit();
      await this.#saveCleared();
    }
  }

  dispose(): void {
    if (this.#isDisposed) {
      return;
    }
    this.#isDisposed = true;
    this.#poll.dispose();
    this.#events?.disconnect(this.#onEvent, this);
    Signal.clearData(this);
  }

  #onEvent(_: unknown, event: IServerEvent): void {
    if (event.schema_id !== JOB_EVENT_SCHEMA_ID) {
      return;
    }
    this.#quietSince = Date.now();
    this.#pollingNow = false;
    this.#eventCount++;
    const job: Record<string, unknown> = { ...event };
    delete job.schema_id;
    if (typeof job.id !== 'string' || typeof job.state !== 'string') {
      return;
    }
    this.#lastEvent.set(job.id, this.#eventCount);
    const isNew = !this.#jobs.has(job.id);
    this.#apply(job as unknown as IJob, true);
    if (isNew) {
      this.#changed.emit();
    }
  }

  async #pollIfSilent(): Promise<void> {
    if (!this.#listed) {
      // The listing at start failed: ask until it answers.
      await this.refresh();
      return;
    }
    if (!this.hasActive) {
      this.#pollingNow = false;
      return;
    }
    const silentFor = Date.now() - this.#quietSince;
    if (this.#events !== null && silentFor < this.#silenceLimit) {
      return;
    }
    this.#pollingNow = true;
    await this.refresh();
  }

  /** Record a job's newest state; `live` marks updates seen while this page watched. */
  #apply(job: IJob, live: boolean): void {
    const previous = this.#jobs.get(job.id);
    if (previous && isFinished(previous) && !isFinished(job)) {
      // A late progress event after the final one: keep the final state.
      return;
    }
    if (previous && sameJob(previous, job)) {
      return;
    }
    this.#jobs.set(job.id, job);
    this.#jobChanged.emit(job);
    const wasActive = previous ? !isFinished(previous) : live;
    if (isFinished(job) && wasActive) {
      this.#finished.emit(job);
    }
  }

  #sorted(): IJob[] {
    return [...this.#jobs.values()].sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
  }

  async #saveCleared(): Promise<void> {
    try {
      await this.#clearedStore?.save([...this.#cleared]);
    } catch {
      // Only the "cleared" memory is lost: the jobs reappear after a reload.
    }
  }

  readonly #serverSettings: ServerConnection.ISettings;
  readonly #events: ISignal<unknown, IServerEvent> | null;
  readonly #silenceLimit: number;
  readonly #clearedStore: IClearedJobsStore | null;
  readonly #poll: Poll;
  readonly #jobs = new Map<string, IJob>();
  #cleared = new Set<string>();
  /** Since when no job event arrived (or a job started, which gives its events time). */
  #quietSince = Date.now();
  #pollingNow = false;
  /** Whether a `GET /jobs` has answered since `start`. */
  #listed = false;
  /** Job events received so far, and the count at each job's last event. */
  #eventCount = 0;
  readonly #lastEvent = new Map<string, number>();
  #isDisposed = false;
  readonly #jobChanged = new Signal<this, IJob>(this);
  readonly #changed = new Signal<this, void>(this);
  readonly #finished = new Signal<this, IJob>(this);
}

function sameJob(a: IJob, b: IJob): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
