import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError, messageOf, requestAPI } from '../request';
import { IServerEvent } from './JobsModel';
import {
  ConnectionList,
  Handshake,
  IConnectionsModel,
  IOpenbisConnection,
  IReanaConnection,
  IServerInfoModel
} from '../tokens';

/** The `$id` of `reana_openbis_lab/events/connection.yaml`. */
export const CONNECTION_EVENT_SCHEMA_ID =
  'https://events.jupyter.org/reana_openbis_lab/connection/v1';

/** Upper bound of the poll backoff after failures, so a down server is not hammered. */
const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * The openBIS and REANA connections of the server, kept fresh by a poll.
 *
 * Polling starts with the first successful version handshake (asking routes of a missing
 * or mismatched server extension only adds noise), and every later successful handshake,
 * such as the panel's refresh, re-reads the lists at once.
 *
 * A status that changes on the server by itself (a preset logging in when first used, a
 * session found expired) arrives as an event and re-reads the lists at once.
 *
 * Listing reads only the server extension's own state (no openBIS or REANA round trip),
 * so polling it is cheap; the poll still pauses while the browser tab is hidden and
 * backs off while the server fails.
 */
export class ConnectionsModel implements IConnectionsModel, IDisposable {
  constructor(options: ConnectionsModel.IOptions) {
    this.#serverSettings = options.serverSettings;
    this.#refreshInterval = options.refreshInterval;
    options.serverInfo.handshakeChanged.connect(this.#onHandshake, this);
    this.#onHandshake(options.serverInfo, options.serverInfo.handshake);
    options.events?.connect(this.#onEvent, this);
  }

  /** The openBIS connections. */
  get openbis(): ConnectionList<IOpenbisConnection> {
    return this.#openbis;
  }

  /** The REANA connections. */
  get reana(): ConnectionList<IReanaConnection> {
    return this.#reana;
  }

  /** Emitted after every refresh, once both lists are up to date. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /** Milliseconds between two polls. */
  get refreshInterval(): number {
    return this.#refreshInterval;
  }

  set refreshInterval(milliseconds: number) {
    this.#refreshInterval = milliseconds;
    if (this.#poll) {
      this.#poll.frequency = this.#frequency();
    }
  }

  get isDisposed(): boolean {
    return this.#isDisposed;
  }

  /**
   * Read both lists now. Never rejects: failures become list states.
   */
  async refresh(): Promise<void> {
    // A poll tick and a user's refresh can overlap; only the latest may write.
    const generation = ++this.#generation;
    const [openbis, reana] = await Promise.all([
      this.#list<IOpenbisConnection>('openbis/connections'),
      this.#list<IReanaConnection>('reana/connections')
    ]);
    if (this.#isDisposed || generation !== this.#generation) {
      return;
    }
    this.#openbis = openbis;
    this.#reana = reana;
    this.#changed.emit();
  }

  dispose(): void {
    if (this.#isDisposed) {
      return;
    }
    this.#isDisposed = true;
    this.#poll?.dispose();
    Signal.clearData(this);
  }

  /** A connection's status changed on the server by itself: show it now, not at the next poll. */
  #onEvent(_: unknown, event: IServerEvent): void {
    if (event.schema_id === CONNECTION_EVENT_SCHEMA_ID && this.#poll) {
      void this.#poll.refresh();
    }
  }

  #onHandshake(_: IServerInfoModel, handshake: Handshake): void {
    if (handshake.status !== 'ready' || this.#isDisposed) {
      return;
    }
    if (this.#poll) {
      void this.#poll.refresh();
      return;
    }
    // The poll's first tick reads the lists at once.
    this.#poll = new Poll({
      factory: () => this.#refreshOrReject(),
      frequency: this.#frequency(),
      name: 'reana-openbis-lab:connections',
      standby: 'when-hidden'
    });
  }

  /** The poll's factory: rejecting lets the poll back off while the server fails. */
  async #refreshOrReject(): Promise<void> {
    await this.refresh();
    if (this.#openbis.status === 'failed' || this.#reana.status === 'failed') {
      throw new Error('Listing connections failed.');
    }
  }

  async #list<T>(endPoint: string): Promise<ConnectionList<T>> {
    try {
      const answer = await requestAPI<{ connections?: T[] } | undefined>(
        endPoint,
        { method: 'GET' },
        this.#serverSettings
      );
      const connections = answer?.connections;
      return { status: 'ready', connections: Array.isArray(connections) ? connections : [] };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        return { status: 'unavailable' };
      }
      return { status: 'failed', message: messageOf(error) };
    }
  }

  #frequency(): IPoll.Frequency {
    return {
      interval: this.#refreshInterval,
      backoff: true,
      max: Math.max(MAX_BACKOFF_MS, this.#refreshInterval)
    };
  }

  readonly #serverSettings: ServerConnection.ISettings;
  #refreshInterval: number;
  #openbis: ConnectionList<IOpenbisConnection> = { status: 'loading' };
  #reana: ConnectionList<IReanaConnection> = { status: 'loading' };
  #poll: Poll | null = null;
  #isDisposed = false;
  #generation = 0;
  readonly #changed = new Signal<this, void>(this);
}

export namespace ConnectionsModel {
  export interface IOptions {
    /** The application's server settings (base URL, token, fetch). */
    serverSettings: ServerConnection.ISettings;
    /** The handshake that decides when listing makes sense. */
    serverInfo: IServerInfoModel;
    /** Milliseconds between two polls. */
    refreshInterval: number;
    /** `app.serviceManager.events.stream`: status changes arrive at once. */
    events?: ISignal<unknown, IServerEvent> | null;
  }
}
