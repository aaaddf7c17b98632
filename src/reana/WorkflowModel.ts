import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { IJobLogPiece, ILogsAnswer, IStartOptions, IWorkflowDetail, ReanaApi } from './api';
import { LogBuffer } from './LogBuffer';
import { describeProblem, isActive, isTerminal, ReanaProblem } from './status';
import { DEFAULT_INTERVALS, IRefreshIntervals, nextInterval } from './WorkflowListModel';

/** A job of the run as its log tab shows it: what it is, and its log. */
export interface IJobLog {
  readonly id: string;
  meta: Omit<IJobLogPiece, 'text' | 'offset' | 'reset'>;
  readonly log: LogBuffer;
}

/**
 * One run in its view: details, and its logs followed live.
 *
 * Each tick reads the details and only the new log text (the logs route's `cursor`); it
 * ticks with backoff while the run is active, once more when it ends (the last lines),
 * then stops. Hidden views stand by.
 */
export class WorkflowModel implements IDisposable {
  constructor(options: WorkflowModel.IOptions) {
    this.api = options.api;
    this.connection = options.connection;
    this.workflow = options.workflow;
    this._intervals = options.intervals ?? DEFAULT_INTERVALS;
    this._isVisible = options.isVisible ?? (() => true);
    this._interval = this._intervals.active;
    this._poll = new Poll({
      factory: () => this._tick(),
      frequency: this._frequency(),
      name: `reana-openbis-lab:workflow:${options.connection}/${options.workflow}`,
      standby: () => (this._isVisible() ? 'when-hidden' : true),
      auto: options.auto ?? true
    });
  }

  readonly api: ReanaApi;
  readonly connection: string;
  /** The run's name (`name.N`) or id, as it was opened. */
  readonly workflow: string;

  /** The details, once read. */
  get detail(): IWorkflowDetail | null {
    return this._detail;
  }

  /** Why the last read failed, until one succeeds. */
  get problem(): ReanaProblem | null {
    return this._problem;
  }

  /** Whether the logs are still being followed. */
  get following(): boolean {
    return this._following;
  }

  readonly workflowLog = new LogBuffer();
  readonly engineLog = new LogBuffer();

  /** The jobs in the order REANA reported them. */
  get jobs(): readonly IJobLog[] {
    return this._jobs;
  }

  /** Emitted after every tick that changed something. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  set intervals(intervals: IRefreshIntervals) {
    this._intervals = intervals;
  }

  /** Read now and follow again (after an action, or the user's refresh). */
  async refresh(): Promise<void> {
    this._following = true;
    this._interval = this._intervals.active;
    this._poll.frequency = this._frequency();
    await this._poll.refresh();
    await this._poll.tick.catch(() => undefined);
  }

  /** Start a created run, or restart an ended one (REANA names it `name.N.1`). */
  async start(options: IStartOptions, restart = false): Promise<string | null> {
    const answer = await this.api.start(this.connection, this._name(), { ...options, restart });
    await this.refresh();
    const name = answer.name;
    return typeof name === 'string' ? name : null;
  }

  async stop(): Promise<void> {
    await this.api.stop(this.connection, this._name());
    await this.refresh();
  }

  /** Delete the run, with or without its workspace; the view should close after. */
  async delete(workspace: boolean): Promise<void> {
    await this.api.delete(this.connection, this._name(), workspace);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /** One poll tick; exposed through the poll only. */
  private async _tick(): Promise<void> {
    let detail: IWorkflowDetail;
    let logs: ILogsAnswer;
    try {
      [detail, logs] = await Promise.all([
        this.api.getWorkflow(this.connection, this.workflow),
        this.api.getLogs(this.connection, this.workflow, this._cursor)
      ]);
    } catch (error) {
      if (!this.isDisposed) {
        this._problem = describeProblem(error);
        if (this._problem.kind === 'not-found') {
          this._stopFollowing();
        }
        this._changed.emit();
      }
      throw error;
    }
    if (this.isDisposed) {
      return;
    }
    const statusChanged = detail.status !== this._detail?.status;
    const logsChanged = this._applyLogs(logs);
    const changed =
      statusChanged || logsChanged || JSON.stringify(detail) !== JSON.stringify(this._detail);
    this._detail = detail;
    this._problem = null;
    if (isTerminal(detail.status) || !isActive(detail.status)) {
      // Ended (or not started): the last lines are in; nothing more will come by itself.
      this._stopFollowing();
    } else {
      this._following = true;
      this._interval = nextInterval(this._interval, changed, true, this._intervals);
      this._poll.frequency = this._frequency();
    }
    if (changed || statusChanged) {
      this._changed.emit();
    }
  }

  private _applyLogs(logs: ILogsAnswer): boolean {
    this._cursor = logs.cursor;
    let changed = this.workflowLog.apply(logs.workflow);
    changed = this.engineLog.apply(logs.engine) || changed;
    for (const piece of logs.jobs) {
      let job = this._jobs.find(j => j.id === piece.id);
      const meta = jobMeta(piece);
      if (!job) {
        job = { id: piece.id, meta, log: new LogBuffer() };
        this._jobs = [...this._jobs, job];
        changed = true;
      } else if (JSON.stringify(job.meta) !== JSON.stringify(meta)) {
        job.meta = meta;
        changed = true;
      }
      changed = job.log.apply(piece) || changed;
    }
    return changed;
  }

  private _stopFollowing(): void {
    this._following = false;
    this._poll.frequency = { interval: Poll.NEVER, backoff: true, max: Poll.NEVER };
  }

  private _name(): string {
    return this._detail?.id ?? this.workflow;
  }

  private _frequency() {
    return {
      interval: this._interval,
      backoff: true,
      max: Math.max(this._intervals.max, this._interval)
    };
  }

  private readonly _poll: Poll;
  private readonly _isVisible: () => boolean;
  private _intervals: IRefreshIntervals;
  private _interval: number;
  private _detail: IWorkflowDetail | null = null;
  private _problem: ReanaProblem | null = null;
  private _cursor = '';
  private _following = true;
  private _jobs: IJobLog[] = [];
  private readonly _changed = new Signal<this, void>(this);
}

/** What a job is, without its log piece. */
function jobMeta(piece: IJobLogPiece): IJobLog['meta'] {
  return {
    id: piece.id,
    name: piece.name,
    status: piece.status,
    image: piece.image,
    command: piece.command,
    startedAt: piece.startedAt,
    finishedAt: piece.finishedAt
  };
}

export namespace WorkflowModel {
  export interface IOptions {
    api: ReanaApi;
    connection: string;
    workflow: string;
    intervals?: IRefreshIntervals;
    /** Whether the view is on screen; the poll stands by while it is not. */
    isVisible?: () => boolean;
    /** Start polling at once (default); tests tick by hand. */
    auto?: boolean;
  }
}
