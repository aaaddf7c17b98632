import { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { IListQuery, OpenbisClient, OpenbisLevel } from './client';
import { IProblem, problemOf } from './errors';
import { IOpenbisDataset, IOpenbisEntity } from './types';

/** The kinds of tree nodes, from the top: Space → Project → Collection → Object → Dataset. */
export type NodeKind = 'space' | 'project' | 'collection' | 'object' | 'dataset';

/** One openBIS entity at one place of the tree (a dataset may sit under its collection and its object). */
export interface ITreeNode {
  /** Unique in the tree: the path of keys from the root. */
  readonly key: string;
  readonly kind: NodeKind;
  readonly entity: IOpenbisEntity;
  readonly parent: ITreeNode | null;
  /** 1 for spaces (ARIA `aria-level`). */
  readonly depth: number;
}

/** A row of the flattened, visible tree: what the view renders, in order. */
export type TreeRow =
  | {
      readonly type: 'node';
      readonly node: ITreeNode;
      readonly expandable: boolean;
      readonly expanded: boolean;
      /** Position among its siblings and their number as openBIS counts them (ARIA). */
      readonly posInSet: number;
      readonly setSize: number;
    }
  /** The end of a level that has more on the server: "Load more". */
  | {
      readonly type: 'more';
      readonly key: string;
      readonly parentKey: string;
      readonly level: OpenbisLevel;
      readonly depth: number;
      readonly loaded: number;
      readonly total: number;
      readonly loading: boolean;
    }
  /** A level that is loading, empty or failed. */
  | {
      readonly type: 'status';
      readonly key: string;
      readonly parentKey: string;
      readonly depth: number;
      readonly state: 'loading' | 'empty' | 'error';
      readonly problem?: IProblem;
    };

/** The search results: datasets whose code, name or properties contain the text. */
export interface ISearchState {
  readonly query: string;
  readonly items: readonly IOpenbisDataset[];
  /** `null` until the first page arrived. */
  readonly total: number | null;
  readonly loading: boolean;
  readonly problem: IProblem | null;
}

/** Where the tree root's key points: the top level. */
export const ROOT_KEY = '';

/** How long typing must pause before the search goes to the server. */
export const SEARCH_DELAY_MS = 300;

/** What a level of children holds. */
interface ILevelState {
  readonly level: OpenbisLevel;
  items: ITreeNode[];
  total: number | null;
  loading: boolean;
  problem: IProblem | null;
}

/**
 * The openBIS tree of one connection: lazily loaded levels, each paged on the server.
 *
 * Only loaded items exist, so a collection of 10,000 datasets costs one page until the user
 * asks for more. Expanded nodes are remembered by key across a refresh, which reloads the
 * first page of every open level. Answers of an older refresh or connection are dropped.
 */
export class BrowserModel implements IDisposable {
  constructor(options: BrowserModel.IOptions) {
    this.#client = options.client;
    this.#pageSize = options.pageSize ?? 100;
    this.#searchDebouncer = new Debouncer(() => this.#startSearch(), SEARCH_DELAY_MS);
  }

  /** Emitted after any change of the tree, the selection or the search. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /** The connection browsed; `null` shows nothing. */
  get connection(): string | null {
    return this.#connection;
  }

  set connection(name: string | null) {
    if (name === this.#connection) {
      return;
    }
    this.#connection = name;
    this.#expanded.clear();
    this.#selected = null;
    this.#search = { query: '', items: [], total: null, loading: false, problem: null };
    this.#picked.clear();
    void this.refresh();
  }

  /** Items asked for per page (the route allows 1 to 1000). */
  get pageSize(): number {
    return this.#pageSize;
  }

  set pageSize(size: number) {
    this.#pageSize = Math.max(1, Math.min(1000, Math.round(size)));
  }

  /** The visible rows in order; recomputed only after a change. */
  get rows(): readonly TreeRow[] {
    if (!this.#rows) {
      this.#rows = [];
      this.#flatten(ROOT_KEY, 1, this.#rows);
    }
    return this.#rows;
  }

  /** The selected node, if any. */
  get selected(): ITreeNode | null {
    return this.#selected;
  }

  /** The current search; an empty query means the tree is shown. */
  get search(): ISearchState {
    return this.#search;
  }

  /** The search results ticked for one action on them all, in the order they were ticked. */
  get picked(): readonly IOpenbisDataset[] {
    return [...this.#picked.values()];
  }

  isPicked(permId: string): boolean {
    return this.#picked.has(permId);
  }

  /** Tick a search result, or untick it. */
  togglePicked(dataset: IOpenbisDataset): void {
    if (!this.#picked.delete(dataset.permId)) {
      this.#picked.set(dataset.permId, dataset);
    }
    this.#emit();
  }

  clearPicked(): void {
    this.#picked.clear();
    this.#emit();
  }

  get isDisposed(): boolean {
    return this.#isDisposed;
  }

  /** A node of a loaded level, by key. */
  node(key: string): ITreeNode | undefined {
    return this.#nodes.get(key);
  }

  /** The nodes from the top down to `node`, for a breadcrumb. */
  pathOf(node: ITreeNode): ITreeNode[] {
    const path: ITreeNode[] = [];
    for (let current: ITreeNode | null = node; current; current = current.parent) {
      path.unshift(current);
    }
    return path;
  }

  /** Whether a node kind has children. */
  isExpandable(node: ITreeNode): boolean {
    return node.kind !== 'dataset';
  }

  isExpanded(key: string): boolean {
    return this.#expanded.has(key);
  }

  /** Mark a node as the selected one. */
  select(key: string | null): void {
    const node = key === null ? null : (this.#nodes.get(key) ?? null);
    if (node !== this.#selected) {
      this.#selected = node;
      this.#emit();
    }
  }

  /** Open a node: its first page loads the first time. */
  async expand(key: string): Promise<void> {
    const node = this.#nodes.get(key);
    if (!node || !this.isExpandable(node) || this.#expanded.has(key)) {
      return;
    }
    this.#expanded.add(key);
    this.#emit();
    if (!this.#levels.has(key)) {
      await this.#loadChildren(node);
    }
  }

  collapse(key: string): void {
    if (this.#expanded.delete(key)) {
      this.#emit();
    }
  }

  /** Open a closed node, close an open one. */
  async toggle(key: string): Promise<void> {
    if (this.#expanded.has(key)) {
      this.collapse(key);
    } else {
      await this.expand(key);
    }
  }

  /** Fetch the next page of one level of `parentKey`. */
  async loadMore(parentKey: string, level: OpenbisLevel): Promise<void> {
    const state = this.#levels.get(parentKey)?.find(l => l.level === level);
    if (!state || state.loading) {
      return;
    }
    const parent = parentKey === ROOT_KEY ? null : (this.#nodes.get(parentKey) ?? null);
    await this.#loadPage(parent, parentKey, state, state.items.length);
  }

  /**
   * Read the tree again: the top level and the first page of every open level; the
   * selection and open nodes are kept where they still exist.
   */
  async refresh(): Promise<void> {
    this.#epoch++;
    this.#levels.clear();
    this.#nodes.clear();
    this.#emit();
    if (this.#search.query) {
      this.#startSearch();
    }
    if (this.#connection === null) {
      return;
    }
    await this.#loadChildren(null);
  }

  /**
   * Search datasets on the server after typing pauses ({@link SEARCH_DELAY_MS}); an empty
   * text goes back to the tree at once.
   */
  setSearch(text: string): void {
    const query = text.trim();
    if (query === this.#search.query && (query === '' || this.#search.total !== null)) {
      return;
    }
    this.#search = { query, items: [], total: null, loading: query !== '', problem: null };
    if (!query) {
      this.#picked.clear(); // back to the tree; picks carry over from one search to the next
    }
    this.#searchGeneration++;
    this.#emit();
    if (query) {
      void this.#searchDebouncer.invoke();
    }
  }

  /** The next page of search results. */
  async loadMoreResults(): Promise<void> {
    const search = this.#search;
    if (!search.query || search.loading || search.total === null) {
      return;
    }
    this.#search = { ...search, loading: true };
    this.#emit();
    await this.#searchPage(search.items.length);
  }

  dispose(): void {
    if (this.#isDisposed) {
      return;
    }
    this.#isDisposed = true;
    this.#searchDebouncer.dispose();
    Signal.clearData(this);
  }

  #startSearch(): void {
    if (!this.#search.query) {
      return;
    }
    void this.#searchPage(0);
  }

  async #searchPage(start: number): Promise<void> {
    const connection = this.#connection;
    const generation = this.#searchGeneration;
    const query = this.#search.query;
    if (connection === null) {
      this.#search = { ...this.#search, loading: false };
      this.#emit();
      return;
    }
    try {
      const page = await this.#client.list<IOpenbisDataset>(connection, 'datasets', {
        start,
        count: this.#pageSize,
        search: query
      });
      if (generation !== this.#searchGeneration || this.#isDisposed) {
        return;
      }
      this.#search = {
        query,
        items: start === 0 ? page.items : [...this.#search.items, ...page.items],
        total: page.total,
        loading: false,
        problem: null
      };
    } catch (error) {
      if (generation !== this.#searchGeneration || this.#isDisposed) {
        return;
      }
      this.#search = { ...this.#search, loading: false, problem: problemOf(error) };
    }
    this.#emit();
  }

  async #loadChildren(parent: ITreeNode | null): Promise<void> {
    const key = parent?.key ?? ROOT_KEY;
    const levels: ILevelState[] = childLevels(parent).map(level => ({
      level,
      items: [],
      total: null,
      loading: true,
      problem: null
    }));
    this.#levels.set(key, levels);
    this.#emit();
    await Promise.all(levels.map(state => this.#loadPage(parent, key, state, 0)));
  }

  async #loadPage(
    parent: ITreeNode | null,
    parentKey: string,
    state: ILevelState,
    start: number
  ): Promise<void> {
    const connection = this.#connection;
    if (connection === null) {
      return;
    }
    const epoch = this.#epoch;
    state.loading = true;
    state.problem = null;
    this.#emit();
    const query: IListQuery = { start, count: this.#pageSize, ...parentFilter(parent) };
    try {
      const page = await this.#client.list(connection, state.level, query);
      if (epoch !== this.#epoch || this.#isDisposed) {
        return;
      }
      const kind = KIND_OF_LEVEL[state.level];
      const depth = (parent?.depth ?? 0) + 1;
      const added = page.items.map(entity => {
        const node: ITreeNode = {
          key: `${parentKey}/${kind}:${entity.permId ?? entity.identifier ?? entity.code}`,
          kind,
          entity,
          parent,
          depth
        };
        this.#nodes.set(node.key, node);
        return node;
      });
      state.items = [...state.items, ...added];
      state.total = page.total;
      state.loading = false;
      this.#emit();
      // Open again what was open before a refresh.
      await Promise.all(
        added
          .filter(node => this.#expanded.has(node.key) && !this.#levels.has(node.key))
          .map(node => this.#loadChildren(node))
      );
    } catch (error) {
      if (epoch !== this.#epoch || this.#isDisposed) {
        return;
      }
      state.loading = false;
      state.problem = problemOf(error);
      this.#emit();
    }
  }

  #flatten(parentKey: string, depth: number, rows: TreeRow[]): void {
    const levels = this.#levels.get(parentKey);
    if (!levels) {
      return;
    }
    const setSize = levels.reduce((sum, l) => sum + (l.total ?? l.items.length), 0);
    let position = 0;
    let loadingShown = false;
    for (const state of levels) {
      for (const node of state.items) {
        const expanded = this.#expanded.has(node.key);
        rows.push({
          type: 'node',
          node,
          expandable: this.isExpandable(node),
          expanded,
          posInSet: ++position,
          setSize
        });
        if (expanded) {
          this.#flatten(node.key, depth + 1, rows);
        }
      }
      const statusKey = `${parentKey}#${state.level}`;
      if (state.problem) {
        rows.push({
          type: 'status',
          key: statusKey,
          parentKey,
          depth,
          state: 'error',
          problem: state.problem
        });
      } else if (state.total !== null && state.items.length < state.total) {
        rows.push({
          type: 'more',
          key: statusKey,
          parentKey,
          level: state.level,
          depth,
          loaded: state.items.length,
          total: state.total,
          loading: state.loading
        });
      } else if (state.loading && state.items.length === 0) {
        // One "loading" line per parent is enough.
        if (!loadingShown) {
          rows.push({ type: 'status', key: statusKey, parentKey, depth, state: 'loading' });
          loadingShown = true;
        }
      }
    }
    const done = levels.every(l => !l.loading && !l.problem);
    if (done && position === 0) {
      rows.push({ type: 'status', key: `${parentKey}#empty`, parentKey, depth, state: 'empty' });
    }
  }

  #emit(): void {
    this.#rows = null;
    this.#changed.emit();
  }

  readonly #client: OpenbisClient;
  #pageSize: number;
  #connection: string | null = null;
  #epoch = 0;
  readonly #levels = new Map<string, ILevelState[]>();
  readonly #nodes = new Map<string, ITreeNode>();
  readonly #expanded = new Set<string>();
  #selected: ITreeNode | null = null;
  #rows: TreeRow[] | null = null;
  #search: ISearchState = {
    query: '',
    items: [],
    total: null,
    loading: false,
    problem: null
  };
  #searchGeneration = 0;
  readonly #picked = new Map<string, IOpenbisDataset>();
  readonly #searchDebouncer: Debouncer;
  #isDisposed = false;
  readonly #changed = new Signal<this, void>(this);
}

export namespace BrowserModel {
  export interface IOptions {
    client: OpenbisClient;
    /** Items per page; default 100. */
    pageSize?: number;
  }
}

const KIND_OF_LEVEL: Record<OpenbisLevel, NodeKind> = {
  spaces: 'space',
  projects: 'project',
  collections: 'collection',
  objects: 'object',
  datasets: 'dataset'
};

/** The levels below a node: a collection holds objects and datasets. */
function childLevels(parent: ITreeNode | null): OpenbisLevel[] {
  switch (parent?.kind) {
    case undefined:
      return ['spaces'];
    case 'space':
      return ['projects'];
    case 'project':
      return ['collections'];
    case 'collection':
      return ['objects', 'datasets'];
    case 'object':
      return ['datasets'];
    default:
      return [];
  }
}

/** The query filter that restricts a level to the children of `parent`. */
function parentFilter(parent: ITreeNode | null): Partial<IListQuery> {
  const entity = parent?.entity;
  switch (parent?.kind) {
    case 'space':
      return { space: entity?.code };
    case 'project':
      return { project: entity?.identifier };
    case 'collection':
      return { collection: entity?.identifier };
    case 'object':
      return { object: entity?.permId ?? entity?.identifier };
    default:
      return {};
  }
}
