import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError, requestAPI } from '../request';
import {
  ConnectionList,
  Handshake,
  IConnectionsModel,
  IOpenbisConnection,
  IReanaConnection,
  IServerInfoModel
} from '../tokens';

/** Upper bound of the poll backoff after failures, so a down server is not hammered. */
const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * The openBIS and REANA connections of the server, kept fresh by a poll.
 *
 * Polling starts with the first successful version handshake (asking routes of a missing
 * or mismatched server extension only adds noise), and every later successful handshake,
 * such as the panel's refresh, re-reads the lists at once.
 *
 * Listing reads only the server extension's own state (no openBIS or REANA round trip),
 * so polling it is cheap; the poll still pauses while the browser tab is hidden and
 * backs off while the server fails.
 */
export class ConnectionsModel implements IConnectionsModel, IDisposable {
  constructor(options: ConnectionsModel.IOptions) {
    this._serverSettings = options.serverSettings;
    this._refreshInterval = options.refreshInterval;
    options.serverInfo.handshakeChanged.connect(this._onHandshake, this);
    this._onHandshake(options.serverInfo, options.serverInfo.handshake);
  }

  /** The openBIS connections. */
  get openbis(): ConnectionList<IOpenbisConnection> {
    return this._openbis;
  }

  /** The REANA connections. */
  get reana(): ConnectionList<IReanaConnection> {
    return this._reana;
  }

  /** Emitted after every refresh, once both lists are up to date. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Milliseconds between two polls. */
  get refreshInterval(): number {
    return this._refreshInterval;
  }

  set refreshInterval(milliseconds: number) {
    this._refreshInterval = milliseconds;
    if (this._poll) {
      this._poll.frequency = this._frequency();
    }
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Read both lists now. Never rejects: failures become list states.
   */
  async refresh(): Promise<void> {
    // A poll tick and a user's refresh can overlap; only the latest may write.
    const generation = ++this._generation;
    const [openbis, reana] = await Promise.all([
      this._list<IOpenbisConnection>('openbis/connections'),
      this._list<IReanaConnection>('reana/connections')
    ]);
    if (this._isDisposed || generation !== this._generation) {
      return;
    }
    this._openbis = openbis;
    this._reana = reana;
    this._changed.emit();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll?.dispose();
    Signal.clearData(this);
  }

  private _onHandshake(_: IServerInfoModel, handshake: Handshake): void {
    if (handshake.status !== 'ready' || this._isDisposed) {
      return;
    }
    if (this._poll) {
      void this._poll.refresh();
      return;
    }
    // The poll's first tick reads the lists at once.
    this._poll = new Poll({
      factory: () => this._refreshOrReject(),
      frequency: this._frequency(),
      name: 'reana-openbis-lab:connections',
      standby: 'when-hidden'
    });
  }

  /** The poll's factory: rejecting lets the poll back off while the server fails. */
  private async _refreshOrReject(): Promise<void> {
    await this.refresh();
    if (this._openbis.status === 'failed' || this._reana.status === 'failed') {
      throw new Error('Listing connections failed.');
    }
  }

  private async _list<T>(endPoint: string): Promise<ConnectionList<T>> {
    try {
      const answer = await requestAPI<{ connections?: T[] } | undefined>(
        endPoint,
        { method: 'GET' },
        this._serverSettings
      );
      const connections = answer?.connections;
      return { status: 'ready', connections: Array.isArray(connections) ? connections : [] };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        return { status: 'unavailable' };
      }
      return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private _frequency(): IPoll.Frequency {
    return {
      interval: this._refreshInterval,
      backoff: true,
      max: Math.max(MAX_BACKOFF_MS, this._refreshInterval)
    };
  }

  private readonly _serverSettings: ServerConnection.ISettings;
  private _refreshInterval: number;
  private _openbis: ConnectionList<IOpenbisConnection> = { status: 'loading' };
  private _reana: ConnectionList<IReanaConnection> = { status: 'loading' };
  private _poll: Poll | null = null;
  private _isDisposed = false;
  private _generation = 0;
  private readonly _changed = new Signal<this, void>(this);
}

export namespace ConnectionsModel {
  export interface IOptions {
    /** The application's server settings (base URL, token, fetch). */
    serverSettings: ServerConnection.ISettings;
    /** The handshake that decides when listing makes sense. */
    serverInfo: IServerInfoModel;
    /** Milliseconds between two polls. */
    refreshInterval: number;
  }
}
