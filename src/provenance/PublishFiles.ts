import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ISearchPage, SearchListModel } from '../models/SearchListModel';

/** A workspace file or folder (`path` ends with `/`) offered for publication. */
export interface IWorkspaceEntry {
  readonly path: string;
  /** Bytes of a file, when REANA said. */
  readonly size?: number | null;
}

/** One file of the run's workspace as its listing names it. */
export interface IListedFile {
  readonly name: string;
  readonly size?: number | null;
}

/** Matches asked of REANA per search: folders are found through their files. */
export const WORKSPACE_MATCHES = 50;

/**
 * What "Publish to openBIS…" sends: the workspace files and folders of the new dataset.
 *
 * It starts with the outputs the spec declares, all ticked; each can be unticked, and any
 * other file or folder of the run's workspace added from a search of its listing (the
 * folders that hold matching files are offered too, so a whole folder is one pick).
 */
export class PublishFiles implements IDisposable {
  constructor(
    declared: readonly string[],
    listWorkspace: (search: string) => Promise<ISearchPage<IListedFile>>
  ) {
    this.#entries = declared.map(path => ({ path, chosen: true }));
    this.search = new SearchListModel<IWorkspaceEntry>(async query => {
      const page = await listWorkspace(query);
      return { items: entriesMatching(page.items, query), total: page.total };
    });
  }

  /** The search of the workspace listing that adds entries. */
  readonly search: SearchListModel<IWorkspaceEntry>;

  /** Emitted when an entry is added, ticked or unticked. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /** Every entry offered, in the order they came, ticked or not. */
  get entries(): readonly { readonly path: string; readonly chosen: boolean }[] {
    return this.#entries;
  }

  /** The ticked paths, as the publish request's `paths` (folders without their slash). */
  get chosen(): string[] {
    return this.#entries.filter(e => e.chosen).map(e => withoutSlash(e.path));
  }

  has(path: string): boolean {
    return this.#entries.some(e => withoutSlash(e.path) === withoutSlash(path));
  }

  /** Add (ticked) a workspace path, or tick it if it is listed already. */
  add(path: string): void {
    if (this.has(path)) {
      this.toggle(path, true);
      return;
    }
    this.#entries = [...this.#entries, { path, chosen: true }];
    this.#changed.emit();
  }

  toggle(path: string, chosen: boolean): void {
    const key = withoutSlash(path);
    this.#entries = this.#entries.map(e => (withoutSlash(e.path) === key ? { ...e, chosen } : e));
    this.#changed.emit();
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (!this.#disposed) {
      this.#disposed = true;
      this.search.dispose();
      Signal.clearData(this);
    }
  }

  readonly #changed = new Signal<this, void>(this);
  #entries: readonly { readonly path: string; readonly chosen: boolean }[];
  #disposed = false;
}

/**
 * The files REANA matched and the folders above them whose path holds the text, folders
 * first (one pick takes all they hold), the provenance folder left out (it goes in anyway).
 */
export function entriesMatching(files: readonly IListedFile[], query: string): IWorkspaceEntry[] {
  const needle = query.trim().toLowerCase();
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.name.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = `${parts.slice(0, depth).join('/')}/`;
      if (folder.toLowerCase().includes(needle)) {
        folders.add(folder);
      }
    }
  }
  const entries: IWorkspaceEntry[] = [
    ...[...folders].sort().map(path => ({ path })),
    ...files.map(file => ({ path: file.name, size: file.size }))
  ];
  return entries.filter(e => !e.path.startsWith('provenance/'));
}

function withoutSlash(path: string): string {
  return path.replace(/\/+$/, '');
}
