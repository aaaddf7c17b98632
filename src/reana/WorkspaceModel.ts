import { ISignal, Signal } from '@lumino/signaling';

import { IPage, IWorkspaceFile, ReanaApi } from './api';
import { describeProblem, ReanaProblem } from './status';

/**
 * One page of a run's workspace files, searched and paged by REANA, and the files and
 * folders the user ticked (kept across pages, by path).
 *
 * REANA lists files only, by path. A `folder` narrows the list to what is below it (REANA's
 * `file_name`), and a search with `*`, `?` or `[` is a glob as REANA matches it (`*` stays in
 * a folder, `**` crosses folders), relative to that folder; any other search is a part of
 * the path.
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

  /** The folder the list is narrowed to ('' for the whole workspace). */
  get folder(): string {
    return this.#folder;
  }

  /** Whether the search is a glob (REANA matches it) rather than a part of the path. */
  get isGlob(): boolean {
    return isGlob(this.#search);
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

  /** Show what is below `folder` ('' for everything), from its first page. */
  openFolder(folder: string): Promise<void> {
    return this.load(1, this.#search, folder);
  }

  /** Read a page (default: the current one) with a search and folder (default: current). */
  async load(page = this.#pageNumber, search = this.#search, folder = this.#folder): Promise<void> {
    const generation = ++this.#generation;
    this.#pageNumber = page;
    this.#search = search;
    this.#folder = folder;
    this.#loading = true;
    this.#changed.emit();
    const glob = isGlob(search) ? (folder ? `${folder}/${search}` : search) : folder;
    try {
      const answer = await this.api.listWorkspace(this.connection, this.workflow, {
        page,
        size: this.pageSize,
        search: isGlob(search) ? '' : search,
        glob
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
  #folder = '';
  #pageNumber = 1;
  #generation = 0;
  readonly #selected = new Set<string>();
  readonly #changed = new Signal<this, void>(this);
}

/** Whether a search is a glob: it holds one of REANA's wildcard characters. */
export function isGlob(search: string): boolean {
  return /[*?[]/.test(search);
}
