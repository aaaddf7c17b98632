import { Poll } from '@lumino/polling';

import { IJobLogPiece, ILogsAnswer, IStartOptions, IWorkflowDetail, ReanaApi } from './api';
import { LogBuffer } from './LogBuffer';
import { PolledModel } from './PolledModel';
import { describeProblem, isActive, isTerminal, ReanaProblem } from './status';

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
export class WorkflowModel extends PolledModel {
  constructor(options: WorkflowModel.IOptions) {
    super({ ...options, name: `workflow:${options.connection}/${options.workflow}` });
    this.api = options.api;
    this.connection = options.connection;
    this.workflow = options.workflow;
  }

  readonly api: ReanaApi;
  readonly connection: string;
  /** The run's name (`name.N`) or id, as it was opened. */
  readonly workflow: string;

  /** The details, once read. */
  get detail(): IWorkflowDetail | null {
    return this.#detail;
  }

  /** Why the last read failed, until one succeeds. */
  get problem(): ReanaProblem | null {
    return this.#problem;
  }

  /** Whether the logs are still being followed. */
  get following(): boolean {
    return this.#following;
  }

  readonly workflowLog = new LogBuffer();
  readonly engineLog = new LogBuffer();

  /** The jobs in the order REANA reported them (only the filtered step's, with a filter). */
  get jobs(): readonly IJobLog[] {
    return this.#jobs;
  }

  /** The step names known so far: the serial spec's steps and every job REANA reported. */
  get steps(): readonly string[] {
    return [...this.#steps];
  }

  /** The step whose job logs are shown (REANA is asked for those only), or null for all. */
  get stepFilter(): string | null {
    return this.#stepFilter;
  }

  /** Show the job logs of one step only (null: all); the logs are read again from the start. */
  async setStepFilter(step: string | null): Promise<void> {
    if (step === this.#stepFilter) {
      return;
    }
    this.#stepFilter = step;
    this.#cursor = '';
    this.#jobs = [];
    this._changed.emit();
    await this.refresh();
  }

  /** Read now and follow again (after an action, or the user's refresh). */
  async refresh(): Promise<void> {
    this.#following = true;
    await super.refresh();
  }

  /** Start a created run, or restart an ended one (REANA names it `name.N.1`). */
  async start(options: IStartOptions, restart = false): Promise<string | null> {
    const answer = await this.api.start(this.connection, this.#name(), { ...options, restart });
    await this.refresh();
    const name = answer.name;
    return typeof name === 'string' ? name : null;
  }

  async stop(): Promise<void> {
    await this.api.stop(this.connection, this.#name());
    await this.refresh();
  }

  /** Delete the run, with or without its workspace; the view should close after. */
  async delete(workspace: boolean): Promise<void> {
    await this.api.delete(this.connection, this.#name(), workspace);
  }

  /** One poll tick; exposed through the poll only. */
  protected async _tick(): Promise<void> {
    let detail: IWorkflowDetail;
    let logs: ILogsAnswer;
    const filter = this.#stepFilter;
    try {
      [detail, logs] = await Promise.all([
        this.api.getWorkflow(this.connection, this.workflow),
        this.api.getLogs(this.connection, this.workflow, this.#cursor, filter ? [filter] : [])
      ]);
    } catch (error) {
      if (!this.isDisposed) {
        this.#problem = describeProblem(error);
        if (this.#problem.kind === 'not-found') {
          this.#stopFollowing();
        }
        this._changed.emit();
      }
      throw error;
    }
    if (this.isDisposed) {
      return;
    }
    if (filter !== this.#stepFilter) {
      return; // read for a filter the user has changed since: the next tick reads anew
    }
    this.#learnSteps(detail);
    const statusChanged = detail.status !== this.#detail?.status;
    const logsChanged = this.#applyLogs(logs);
    const changed =
      statusChanged || logsChanged || JSON.stringify(detail) !== JSON.stringify(this.#detail);
    this.#detail = detail;
    this.#problem = null;
    if (isTerminal(detail.status) || !isActive(detail.status)) {
      // Ended (or not started): the last lines are in; nothing more will come by itself.
      this.#stopFollowing();
    } else {
      this.#following = true;
      this._backoff(changed, true);
    }
    if (changed || statusChanged) {
      this._changed.emit();
    }
  }

  #applyLogs(logs: ILogsAnswer): boolean {
    this.#cursor = logs.cursor;
    let changed = false;
    if (this.#stepFilter === null) {
      // With a step filter REANA sends no workflow log: keep the one already read.
      changed = this.workflowLog.apply(logs.workflow);
      changed = this.engineLog.apply(logs.engine) || changed;
    }
    for (const piece of logs.jobs) {
      if (piece.name) {
        this.#steps.add(piece.name);
      }
      let job = this.#jobs.find(j => j.id === piece.id);
      const meta = jobMeta(piece);
      if (!job) {
        job = { id: piece.id, meta, log: new LogBuffer() };
        this.#jobs = [...this.#jobs, job];
        changed = true;
      } else if (JSON.stringify(job.meta) !== JSON.stringify(meta)) {
        job.meta = meta;
        changed = true;
      }
      changed = job.log.apply(piece) || changed;
    }
    return changed;
  }

  /** A serial spec names its steps before any job runs. */
  #learnSteps(detail: IWorkflowDetail): void {
    const inner = (detail.specification?.workflow as { specification?: { steps?: unknown } })
      ?.specification;
    for (const step of Array.isArray(inner?.steps) ? inner.steps : []) {
      const name = (step as { name?: unknown })?.name;
      if (typeof name === 'string' && name) {
        this.#steps.add(name);
      }
    }
  }

  #stopFollowing(): void {
    this.#following = false;
    this._schedule(Poll.NEVER);
  }

  #name(): string {
    return this.#detail?.id ?? this.workflow;
  }

  #detail: IWorkflowDetail | null = null;
  #problem: ReanaProblem | null = null;
  #cursor = '';
  #following = true;
  #jobs: IJobLog[] = [];
  #stepFilter: string | null = null;
  readonly #steps = new Set<string>();
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
  export interface IOptions extends Omit<PolledModel.IOptions, 'name'> {
    api: ReanaApi;
    connection: string;
    workflow: string;
  }
}
