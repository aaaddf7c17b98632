import { IPage, IWorkflow, IWorkflowQuery, ReanaApi } from './api';
import { PolledModel } from './PolledModel';
import { describeProblem, isActive, ReanaProblem } from './status';

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
export class WorkflowListModel extends PolledModel {
  constructor(options: WorkflowListModel.IOptions) {
    super({ ...options, name: `workflows:${options.connection}` });
    this.#api = options.api;
    this.connection = options.connection;
    this.#query = {
      page: 1,
      size: options.pageSize ?? 20,
      search: '',
      statuses: [],
      sort: 'desc'
    };
  }

  /** The REANA connection's name. */
  readonly connection: string;

  get query(): IWorkflowQuery {
    return this.#query;
  }

  get state(): WorkflowListState {
    return this.#state;
  }

  /**
   * The query the shown page answers: until REANA answers a changed search, filter, sort or
   * page (a real server takes a moment), the list still shows the previous answer, and the
   * view marks it as such rather than pass it off as the new one.
   */
  get shownQuery(): IWorkflowQuery | null {
    return this.#shownQuery;
  }

  /** Whether the shown page answers an older query than the current one. */
  get stale(): boolean {
    return this.#shownQuery !== null && this.#shownQuery !== this.#query;
  }

  /**
   * Change the search, filter, sort or page size and read at once; any change other than
   * the page itself goes back to page 1.
   */
  setQuery(change: Partial<IWorkflowQuery>): void {
    const page = change.page ?? 1;
    this.#query = { ...this.#query, ...change, page };
    this._changed.emit();
    void this.refresh();
  }

  protected async _tick(): Promise<void> {
    const generation = ++this.#generation;
    const query = this.#query;
    let page: IPage<IWorkflow>;
    try {
      page = await this.#api.listWorkflows(this.connection, query);
    } catch (error) {
      if (generation === this.#generation && !this.isDisposed) {
        const previous = this.#state.status === 'loading' ? undefined : this.#state.page;
        this.#state = { status: 'failed', problem: describeProblem(error), page: previous };
        this._changed.emit();
      }
      throw error;
    }
    if (generation !== this.#generation || this.isDisposed) {
      return;
    }
    const signature = JSON.stringify(page);
    const changed = signature !== this.#signature;
    this.#signature = signature;
    this._backoff(
      changed,
      page.items.some(item => isActive(item.status))
    );
    if (changed || this.#state.status !== 'ready' || this.#shownQuery !== query) {
      this.#state = { status: 'ready', page };
      this.#shownQuery = query;
      this._changed.emit();
    }
  }

  readonly #api: ReanaApi;
  #query: IWorkflowQuery;
  #state: WorkflowListState = { status: 'loading' };
  #shownQuery: IWorkflowQuery | null = null;
  #signature = '';
  #generation = 0;
}

export namespace WorkflowListModel {
  export interface IOptions extends Omit<PolledModel.IOptions, 'name'> {
    api: ReanaApi;
    connection: string;
    pageSize?: number;
  }
}
