import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

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

/**
 * What the REANA lists, views and the run watcher share: a `Poll` of `_tick` with the
 * backoff of `nextInterval` (Lumino's own backoff while REANA fails), standing by while
 * hidden, and a `changed` signal.
 */
export abstract class PolledModel implements IDisposable {
  constructor(options: PolledModel.IOptions) {
    this._intervals = options.intervals ?? DEFAULT_INTERVALS;
    this.#interval = options.idle ? Poll.NEVER : this._intervals.active;
    const isVisible = options.isVisible ?? (() => true);
    this._poll = new Poll({
      factory: () => this._tick(),
      frequency: this.#frequency(),
      name: `reana-openbis-lab:${options.name}`,
      standby: () => (isVisible() ? 'when-hidden' : true),
      auto: options.auto ?? true
    });
  }

  /** The delay before the next automatic refresh, in ms (`Poll.NEVER`: none). */
  get interval(): number {
    return this.#interval;
  }

  /** Emitted whenever what the model shows changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** New settings: a model that still polls starts again at the `active` interval. */
  set intervals(intervals: IRefreshIntervals) {
    this._intervals = intervals;
    if (this.#interval !== Poll.NEVER) {
      this._schedule(intervals.active);
    }
  }

  /**
   * Read now (the user's refresh, a query change, an action's end). Lumino drops a refresh
   * asked while another one's tick is still out, and that tick read the state before this
   * change: wait for it, then read again. Against a real REANA (hundreds of ms an answer) a
   * search typed right after a filter was otherwise never asked for until the next poll.
   */
  async refresh(): Promise<void> {
    this._schedule(this._intervals.active);
    if (this._poll.state.phase === 'refreshed') {
      await this._poll.tick.catch(() => undefined);
    }
    await this._poll.refresh();
    await this._poll.tick.catch(() => undefined);
  }

  dispose(): void {
    if (!this.isDisposed) {
      this._poll.dispose();
      Signal.clearData(this);
    }
  }

  /** One poll tick; a rejection makes the poll back off. */
  protected abstract _tick(): Promise<void>;

  /** Tick again after `interval` ms; `Poll.NEVER` stops until the next `refresh`. */
  protected _schedule(interval: number): void {
    this.#interval = interval;
    this._poll.frequency = this.#frequency();
  }

  /** Schedule by `nextInterval` after a tick. */
  protected _backoff(changed: boolean, anyActive: boolean): void {
    this._schedule(nextInterval(this.#interval, changed, anyActive, this._intervals));
  }

  #frequency() {
    const interval = this.#interval;
    return { interval, backoff: true, max: Math.max(this._intervals.max, interval) };
  }

  protected _intervals: IRefreshIntervals;
  #interval: number;
  protected readonly _poll: Poll;
  protected readonly _changed = new Signal<this, void>(this);
}

export namespace PolledModel {
  export interface IOptions {
    /** The poll's name, after `reana-openbis-lab:`. */
    name: string;
    intervals?: IRefreshIntervals;
    /** Whether the model is on screen; the poll stands by while it is not. */
    isVisible?: () => boolean;
    /** Start polling at once (default); tests tick by hand. */
    auto?: boolean;
    /** Start with no tick scheduled, until `refresh` or `_schedule`. */
    idle?: boolean;
  }
}
