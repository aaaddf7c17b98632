import { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { messageOf } from '../request';

/** One short page of matches and how many the server found. */
export interface ISearchPage<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/** How long typing must pause before a search goes to the server. */
export const SEARCH_DELAY_MS = 300;

/**
 * Search-as-you-type for a picker (a combobox): the text, one page of matches from the
 * server, the highlighted match a keyboard moves through. The search goes out once typing
 * pauses; the answer of an older query (or of an older context, after `refresh`) is
 * dropped, so what is shown always belongs to the text in the box.
 */
export class SearchListModel<T> implements IDisposable {
  /** `fetch` asks the server for the matches of a (trimmed, non-empty) text. */
  constructor(
    private readonly _fetch: (query: string) => Promise<ISearchPage<T>>,
    delay = SEARCH_DELAY_MS
  ) {
    this.#debouncer = new Debouncer(() => this.#search(), delay);
  }

  /** Emitted after every change, for the view to re-render. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  get query(): string {
    return this.#query;
  }

  /** Set the text; empty text clears the matches. */
  set query(text: string) {
    this.#query = text;
    this.refresh();
  }

  /** Search the same text again: what `fetch` reads (a connection, a run) has changed. */
  refresh(): void {
    this.#generation++;
    this.#results = [];
    this.#total = null;
    this.#active = -1;
    this.#problem = null;
    this.#loading = this.#query.trim() !== '';
    if (this.#loading) {
      void this.#debouncer.invoke();
    }
    this.#changed.emit();
  }

  get results(): readonly T[] {
    return this.#results;
  }

  /** How many match on the server; `null` until the answer came. */
  get total(): number | null {
    return this.#total;
  }

  get loading(): boolean {
    return this.#loading;
  }

  /** Why the last search failed, said for the user. */
  get problem(): string | null {
    return this.#problem;
  }

  /** The index of the highlighted match, -1 for none. */
  get active(): number {
    return this.#active;
  }

  /** Move the highlight by `step`, wrapping around the matches. */
  move(step: number): void {
    const count = this.#results.length;
    if (count > 0) {
      this.#active = (((this.#active + step) % count) + count) % count;
      this.#changed.emit();
    }
  }

  /** Forget text and matches (after a pick). */
  clear(): void {
    this.query = '';
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (!this.#disposed) {
      this.#disposed = true;
      this.#debouncer.dispose();
      Signal.clearData(this);
    }
  }

  async #search(): Promise<void> {
    const generation = this.#generation;
    const query = this.#query.trim();
    if (!query) {
      return;
    }
    try {
      const page = await this._fetch(query);
      if (generation !== this.#generation || this.#disposed) {
        return;
      }
      this.#results = page.items;
      this.#total = page.total;
      this.#active = page.items.length > 0 ? 0 : -1;
    } catch (error) {
      if (generation !== this.#generation || this.#disposed) {
        return;
      }
      this.#problem = messageOf(error);
    }
    this.#loading = false;
    this.#changed.emit();
  }

  readonly #changed = new Signal<this, void>(this);
  readonly #debouncer: Debouncer;
  #query = '';
  #generation = 0;
  #results: readonly T[] = [];
  #total: number | null = null;
  #active = -1;
  #loading = false;
  #problem: string | null = null;
  #disposed = false;
}
