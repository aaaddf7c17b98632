import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { IConnectionsModel, IReanaConnection } from '../tokens';
import { ReanaApi } from './api';
import { runsChanged } from './events';
import { describeProblem } from './status';
import { DEFAULT_INTERVALS, IRefreshIntervals } from './PolledModel';
import { WorkflowListModel } from './WorkflowListModel';

/**
 * The REANA section's state: which connection's runs are shown, one list model per
 * connection (created when first shown, so an unused connection costs no polling), and
 * what the last token check of each connection said.
 */
export class ReanaSectionModel implements IDisposable {
  constructor(options: ReanaSectionModel.IOptions) {
    this.api = options.api;
    this.connections = options.connections;
    this._isVisible = options.isVisible;
    this.connections.changed.connect(this._onConnections, this);
    runsChanged.connect((_, connection) => void this._lists.get(connection)?.refresh(), this);
    this._onConnections();
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
    return this._selected;
  }

  set selected(name: string | null) {
    if (name === this._selected) {
      return;
    }
    this._selected = name;
    this._changed.emit();
  }

  /** The runs of the selected connection; null when none is selected or it has no token. */
  get list(): WorkflowListModel | null {
    const name = this._selected;
    const connection = this.reana.find(c => c.name === name);
    if (!name || !connection?.hasToken) {
      return null;
    }
    let model = this._lists.get(name);
    if (!model) {
      model = new WorkflowListModel({
        api: this.api,
        connection: name,
        pageSize: this._pageSize,
        intervals: this._intervals,
        isVisible: () => this._isVisible() && this._selected === name
      });
      this._lists.set(name, model);
    }
    return model;
  }

  /** What REANA said when a token was last checked and refused, by connection. */
  problem(name: string): string | undefined {
    return this._problems.get(name);
  }

  /** Check a connection's token with REANA (`/api/you`); a refusal is kept for the row. */
  async check(name: string): Promise<void> {
    try {
      await this.api.checkConnection(name);
      this._problems.delete(name);
    } catch (error) {
      this._problems.set(name, describeProblem(error).message);
    }
    this._changed.emit();
    await this.connections.refresh();
  }

  /** After an edit: forget the old verdict and read the runs again. */
  async edited(name: string): Promise<void> {
    this._problems.delete(name);
    this._lists.get(name)?.dispose();
    this._lists.delete(name);
    await this.connections.refresh();
    this.selected = name;
    this._changed.emit();
  }

  set pageSize(size: number) {
    this._pageSize = size;
    for (const model of this._lists.values()) {
      if (model.query.size !== size) {
        model.setQuery({ size });
      }
    }
  }

  set intervals(intervals: IRefreshIntervals) {
    this._intervals = intervals;
    for (const model of this._lists.values()) {
      model.intervals = intervals;
    }
  }

  /** Emitted when the selection, a list model or a check verdict changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Read the shown list again, e.g. after an action on one of its runs. */
  refreshList(): void {
    void this.list?.refresh();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const model of this._lists.values()) {
      model.dispose();
    }
    this._lists.clear();
    Signal.disconnectReceiver(this);
    Signal.clearData(this);
  }

  private _onConnections(): void {
    const names = new Set(this.reana.map(c => c.name));
    for (const [name, model] of this._lists) {
      if (!names.has(name)) {
        model.dispose();
        this._lists.delete(name);
      }
    }
    if (
      this.connections.reana.status === 'ready' &&
      (!this._selected || !names.has(this._selected))
    ) {
      this._selected = this.reana.find(c => c.hasToken)?.name ?? this.reana[0]?.name ?? null;
    }
    // Say who each token belongs to (or that REANA refuses it) once, without a click.
    for (const connection of this.reana) {
      if (connection.hasToken && !connection.checkedAt && !this._autoChecked.has(connection.name)) {
        this._autoChecked.add(connection.name);
        void this.check(connection.name);
      }
    }
    this._changed.emit();
  }

  private _selected: string | null = null;
  private _pageSize = 20;
  private _intervals: IRefreshIntervals = DEFAULT_INTERVALS;
  private _isDisposed = false;
  private readonly _isVisible: () => boolean;
  private readonly _lists = new Map<string, WorkflowListModel>();
  private readonly _problems = new Map<string, string>();
  private readonly _autoChecked = new Set<string>();
  private readonly _changed = new Signal<this, void>(this);
}

export namespace ReanaSectionModel {
  export interface IOptions {
    api: ReanaApi;
    connections: IConnectionsModel;
    /** Whether the REANA section is on screen (lists stand by while it is not). */
    isVisible: () => boolean;
  }
}
