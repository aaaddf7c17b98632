import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { IPage, IWorkflow, IWorkflowQuery, ReanaApi } from './api';
import { describeProblem, isActive, ReanaProblem } from './status';

/** How often lists and views ask REANA again, in ms (settings `refresh*`). */
export interface IRefreshIntervals {
  /** While a listed run is active; doubles while nothing changes, up to `max`. */
  active: number;
  /** While nothing listed runs (someone may start a run elsewhere). */
  idle: number;
  /** The ceiling of the backoff. */
  max: number;
}

/** The defaults of the settings schema. */
export const DEFAULT_INTERVALS: IRefreshIntervals = { active: 5000, idle: 60000, max: 60000 };

/**
 * The delay before the next refresh: back to `active` when the page changed, doubled while
 * an active page stays the same (a long run need not be asked about every 5 s), `idle`
 * when nothing on the page is active.
 */
export function nextInterval(
  previous: number,
  changed: boolean,
  anyActive: boolean,
  intervals: IRefreshIntervals
): number {
  if (!anyActive) {
    return intervals.idle;
  }
  if (changed) {
    return intervals.active;
  }
  return Math.min(Math.max(previous * 2, intervals.active), intervals.max);
}

/** The list as the UI shows it. */
export type WorkflowListState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly page: IPage<IWorkflow> }
  | { readonly status: 'failed'; readonly problem: ReanaProblem; readonly page?: IPage<IWorkflow> };

/**
 * One page of one connection's runs, as REANA pages, searches, filters and sorts them
 * (only the page is ever in memory, so 5,000 runs cost what 20 do).
 *
 * Refreshes itself with a `Poll`: with backoff while a listed run is active (see
 * `nextInterval`), Lumino's backoff while REANA fails, and in standby while the browser
 * tab or the panel is hidden (`isVisible`).
 */
export class WorkflowListModel implements IDisposable {
  constructor(options: WorkflowListModel.IOptions) {
    this._api = options.api;
    this.connection = options.connection;
    this._intervals = options.intervals ?? DEFAULT_INTERVALS;
    this._query = {
      page: 1,
      size: options.pageSize ?? 20,
      search: '',
      statuses: [],
      sort: 'desc'
    };
    this._isVisible = options.isVisible ?? (() => true);
    this._interval = this._intervals.active;
    this._poll = new Poll({
      factory: () => this._tick(),
      frequency: this._frequency(),
      name: `reana-openbis-lab:workflows:${options.connection}`,
      standby: () => (this._isVisible() ? 'when-hidden' : true),
      auto: options.auto ?? true
    });
  }

  /** The REANA connection's name. */
  readonly connection: string;

  get query(): IWorkflowQuery {
    return this._query;
  }

  get state(): WorkflowListState {
    return this._state;
  }

  /** The delay before the next automatic refresh, in ms. */
  get interval(): number {
    return this._interval;
  }

  /** Emitted whenever `state` or `query` changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  set intervals(intervals: IRefreshIntervals) {
    this._intervals = intervals;
    this._interval = intervals.active;
    this._poll.frequency = this._frequency();
  }

  /**
   * Change the search, filter, sort or page size and read at once; any change other than
   * the page itself goes back to page 1.
   */
  setQuery(change: Partial<IWorkflowQuery>): void {
    const page = change.page ?? 1;
    this._query = { ...this._query, ...change, page };
    this._changed.emit();
    void this.refresh();
  }

  /** Read the current page now (the user's refresh, a query change, an action's end). */
  async refresh(): Promise<void> {
    this._interval = this._intervals.active;
    this._poll.frequency = this._frequency();
    await this._poll.refresh();
    await this._poll.tick.catch(() => undefined);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _tick(): Promise<void> {
    const generation = ++this._generation;
    const query = this._query;
    let page: IPage<IWorkflow>;
    try {
      page = await this._api.listWorkflows(this.connection, query);
    } catch (error) {
      if (generation === this._generation && !this.isDisposed) {
        const previous = this._state.status === 'loading' ? undefined : this._state.page;
        this._state = { status: 'failed', problem: describeProblem(error), page: previous };
        this._changed.emit();
      }
      throw error;
    }
    if (generation !== this._generation || this.isDisposed) {
      return;
    }
    const signature = JSON.stringify(page);
    const changed = signature !== this._signature;
    this._signature = signature;
    this._interval = nextInterval(
      this._interval,
      changed,
      page.items.some(item => isActive(item.status)),
      this._intervals
    );
    this._poll.frequency = this._frequency();
    if (changed || this._state.status !== 'ready') {
      this._state = { status: 'ready', page };
      this._changed.emit();
    }
  }

  private _frequency() {
    return {
      interval: this._interval,
      backoff: true,
      max: Math.max(this._intervals.max, this._interval)
    };
  }

  private readonly _api: ReanaApi;
  private _intervals: IRefreshIntervals;
  private _query: IWorkflowQuery;
  private _state: WorkflowListState = { status: 'loading' };
  private _signature = '';
  private _interval: number;
  private _generation = 0;
  private readonly _isVisible: () => boolean;
  private readonly _poll: Poll;
  private readonly _changed = new Signal<this, void>(this);
}

export namespace WorkflowListModel {
  export interface IOptions {
    api: ReanaApi;
    connection: string;
    pageSize?: number;
    intervals?: IRefreshIntervals;
    /** Whether the list is on screen; the poll stands by while it is not. */
    isVisible?: () => boolean;
    /** Start polling at once (default); tests start by hand. */
    auto?: boolean;
  }
}
