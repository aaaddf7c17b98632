import { ISignal, Signal } from '@lumino/signaling';

import { IPage, IWorkspaceFile, ReanaApi } from './api';
import { describeProblem, ReanaProblem } from './status';

/**
 * One page of a run's workspace files, searched and paged by REANA, and the files the
 * user ticked (kept across pages, by path).
 */
export class WorkspaceModel {
  constructor(
    readonly api: ReanaApi,
    readonly connection: string,
    readonly workflow: string,
    readonly pageSize = 100
  ) {}

  get page(): IPage<IWorkspaceFile> | null {
    return this.#page;
  }

  get problem(): ReanaProblem | null {
    return this.#problem;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get search(): string {
    return this.#search;
  }

  get pageNumber(): number {
    return this.#pageNumber;
  }

  /** Paths the user ticked. */
  get selected(): ReadonlySet<string> {
    return this.#selected;
  }

  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /** Read a page (default: the current one) with a search (default: the current one). */
  async load(page = this.#pageNumber, search = this.#search): Promise<void> {
    const generation = ++this.#generation;
    this.#pageNumber = page;
    this.#search = search;
    this.#loading = true;
    this.#changed.emit();
    try {
      const answer = await this.api.listWorkspace(this.connection, this.workflow, {
        page,
        size: this.pageSize,
        search
      });
      if (generation === this.#generation) {
        this.#page = answer;
        this.#problem = null;
      }
    } catch (error) {
      if (generation === this.#generation) {
        this.#problem = describeProblem(error);
      }
    } finally {
      if (generation === this.#generation) {
        this.#loading = false;
        this.#changed.emit();
      }
    }
  }

  toggle(path: string, on: boolean): void {
    if (on) {
      this.#selected.add(path);
    } else {
      this.#selected.delete(path);
    }
    this.#changed.emit();
  }

  clearSelection(): void {
    this.#selected.clear();
    this.#changed.emit();
  }

  #page: IPage<IWorkspaceFile> | null = null;
  #problem: ReanaProblem | null = null;
  #loading = false;
  #search = '';
  #pageNumber = 1;
  #generation = 0;
  readonly #selected = new Set<string>();
  readonly #changed = new Signal<this, void>(this);
}
