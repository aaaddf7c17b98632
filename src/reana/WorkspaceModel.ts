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
    return this._page;
  }

  get problem(): ReanaProblem | null {
    return this._problem;
  }

  get loading(): boolean {
    return this._loading;
  }

  get search(): string {
    return this._search;
  }

  get pageNumber(): number {
    return this._pageNumber;
  }

  /** Paths the user ticked. */
  get selected(): ReadonlySet<string> {
    return this._selected;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Read a page (default: the current one) with a search (default: the current one). */
  async load(page = this._pageNumber, search = this._search): Promise<void> {
    const generation = ++this._generation;
    this._pageNumber = page;
    this._search = search;
    this._loading = true;
    this._changed.emit();
    try {
      const answer = await this.api.listWorkspace(this.connection, this.workflow, {
        page,
        size: this.pageSize,
        search
      });
      if (generation === this._generation) {
        this._page = answer;
        this._problem = null;
      }
    } catch (error) {
      if (generation === this._generation) {
        this._problem = describeProblem(error);
      }
    } finally {
      if (generation === this._generation) {
        this._loading = false;
        this._changed.emit();
      }
    }
  }

  toggle(path: string, on: boolean): void {
    if (on) {
      this._selected.add(path);
    } else {
      this._selected.delete(path);
    }
    this._changed.emit();
  }

  clearSelection(): void {
    this._selected.clear();
    this._changed.emit();
  }

  private _page: IPage<IWorkspaceFile> | null = null;
  private _problem: ReanaProblem | null = null;
  private _loading = false;
  private _search = '';
  private _pageNumber = 1;
  private _generation = 0;
  private readonly _selected = new Set<string>();
  private readonly _changed = new Signal<this, void>(this);
}
