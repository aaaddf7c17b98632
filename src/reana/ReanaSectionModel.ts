import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { IConnectionsModel, IReanaConnection } from '../tokens';
import { ReanaApi } from './api';
import { runsChanged } from './events';
import { describeProblem } from './status';
import { DEFAULT_INTERVALS, IRefreshIntervals } from './PolledModel';
import { WorkflowListModel } from './WorkflowListModel';

/** How long run events must settle before the account (its quota) is read again. */
const QUOTA_REFRESH_MS = 2000;

/**
 * The REANA section's state: which connection's runs are shown, one list model per
 * connection (created when first shown, so an unused connection costs no polling), and
 * what the last token check of each connection said.
 */
export class ReanaSectionModel implements IDisposable {
  constructor(options: ReanaSectionModel.IOptions) {
    this.api = options.api;
    this.connections = options.connections;
    this.#isVisible = options.isVisible;
    this.connections.changed.connect(this.#onConnections, this);
    runsChanged.connect((_, connection) => {
      void this.#lists.get(connection)?.refresh();
      this.#refreshQuota(connection);
    }, this);
    this.#onConnections();
  }

  readonly api: ReanaApi;
  readonly connections: IConnectionsModel;

  /** The REANA connections, or none while the list is not ready. */
  get reana(): readonly IReanaConnection[] {
    const list = this.connections.reana;
    return list.status === 'ready' ? list.connections : [];
  }

  /** The connection whose runs are listed. */
  get selected(): string | null {
    return this.#selected;
  }

  set selected(name: string | null) {
    if (name === this.#selected) {
      return;
    }
    this.#selected = name;
    this.#changed.emit();
  }

  /** The runs of the selected connection; null when none is selected or it has no token. */
  get list(): WorkflowListModel | null {
    const name = this.#selected;
    const connection = this.reana.find(c => c.name === name);
    if (!name || !connection?.hasToken) {
      return null;
    }
    let model = this.#lists.get(name);
    if (!model) {
      model = new WorkflowListModel({
        api: this.api,
        connection: name,
        pageSize: this.#pageSize,
        intervals: this.#intervals,
        isVisible: () => this.#isVisible() && this.#selected === name
      });
      this.#lists.set(name, model);
    }
    return model;
  }

  /** What REANA said when a token was last checked and refused, by connection. */
  problem(name: string): string | undefined {
    return this.#problems.get(name);
  }

  /** Check a connection's token with REANA (`/api/you`); a refusal is kept for the row. */
  async check(name: string): Promise<void> {
    try {
      await this.api.checkConnection(name);
      this.#problems.delete(name);
    } catch (error) {
      this.#problems.set(name, describeProblem(error).message);
    }
    this.#changed.emit();
    await this.connections.refresh();
  }

  /** After an edit: forget the old verdict and read the runs again. */
  async edited(name: string): Promise<void> {
    this.#problems.delete(name);
    this.#lists.get(name)?.dispose();
    this.#lists.delete(name);
    await this.connections.refresh();
    this.selected = name;
    this.#changed.emit();
  }

  set pageSize(size: number) {
    this.#pageSize = size;
    for (const model of this.#lists.values()) {
      if (model.query.size !== size) {
        model.setQuery({ size });
      }
    }
  }

  set intervals(intervals: IRefreshIntervals) {
    this.#intervals = intervals;
    for (const model of this.#lists.values()) {
      model.intervals = intervals;
    }
  }

  /** Emitted when the selection, a list model or a check verdict changed. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  get isDisposed(): boolean {
    return this.#isDisposed;
  }

  /** Read the shown list again, e.g. after an action on one of its runs. */
  refreshList(): void {
    void this.list?.refresh();
  }

  dispose(): void {
    if (this.#isDisposed) {
      return;
    }
    this.#isDisposed = true;
    for (const timer of this.#quotaTimers.values()) {
      clearTimeout(timer);
    }
    for (const model of this.#lists.values()) {
      model.dispose();
    }
    this.#lists.clear();
    Signal.disconnectReceiver(this);
    Signal.clearData(this);
  }

  #onConnections(): void {
    const names = new Set(this.reana.map(c => c.name));
    for (const [name, model] of this.#lists) {
      if (!names.has(name)) {
        model.dispose();
        this.#lists.delete(name);
      }
    }
    if (
      this.connections.reana.status === 'ready' &&
      (!this.#selected || !names.has(this.#selected))
    ) {
      this.#selected = this.reana.find(c => c.hasToken)?.name ?? this.reana[0]?.name ?? null;
    }
    // Say who each token belongs to (or that REANA refuses it) once, without a click.
    for (const connection of this.reana) {
      if (connection.hasToken && !connection.checkedAt && !this.#autoChecked.has(connection.name)) {
        this.#autoChecked.add(connection.name);
        void this.check(connection.name);
      }
    }
    this.#changed.emit();
  }

  /**
   * A run started, ended or was deleted: its CPU time and workspace count against the
   * quota, so read the account again, once events have settled for QUOTA_REFRESH_MS.
   */
  #refreshQuota(connection: string): void {
    clearTimeout(this.#quotaTimers.get(connection));
    this.#quotaTimers.set(
      connection,
      setTimeout(() => {
        this.#quotaTimers.delete(connection);
        if (!this.#isDisposed && this.reana.find(c => c.name === connection)?.hasToken) {
          void this.check(connection);
        }
      }, QUOTA_REFRESH_MS)
    );
  }

  #selected: string | null = null;
  #pageSize = 20;
  #intervals: IRefreshIntervals = DEFAULT_INTERVALS;
  #isDisposed = false;
  readonly #isVisible: () => boolean;
  readonly #lists = new Map<string, WorkflowListModel>();
  readonly #problems = new Map<string, string>();
  readonly #autoChecked = new Set<string>();
  readonly #quotaTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #changed = new Signal<this, void>(this);
}

export namespace ReanaSectionModel {
  export interface IOptions {
    api: ReanaApi;
    connections: IConnectionsModel;
    /** Whether the REANA section is on screen (lists stand by while it is not). */
    isVisible: () => boolean;
  }
}
