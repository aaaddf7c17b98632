import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';

import { IConnectionsModel } from '../tokens';
import { OpenbisClient } from './client';

/**
 * Asks openBIS now and then whether the logged-in sessions still live, so an expired one
 * shows "Log in again" before the user stumbles on it. The connection list alone cannot
 * tell: it reads only the extension's own state.
 *
 * Only connections listed as connected are asked; the list is re-read when an answer
 * differs. The poll pauses while the tab is hidden; an interval of 0 turns it off.
 */
export class SessionWatch implements IDisposable {
  constructor(options: { client: OpenbisClient; connections: IConnectionsModel }) {
    this._client = options.client;
    this._connections = options.connections;
  }

  /** Milliseconds between two checks; 0 stops checking. */
  get interval(): number {
    return this._interval;
  }

  set interval(milliseconds: number) {
    this._interval = milliseconds;
    this._poll?.dispose();
    this._poll = null;
    if (milliseconds > 0 && !this._isDisposed) {
      this._poll = new Poll({
        factory: () => this.check(),
        frequency: { interval: milliseconds, backoff: true, max: Math.max(milliseconds, 600_000) },
        name: 'reana-openbis-lab:openbis-sessions',
        standby: 'when-hidden'
      });
    }
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Check every connected session once; re-read the list when one changed. */
  async check(): Promise<void> {
    const list = this._connections.openbis;
    if (list.status !== 'ready') {
      return;
    }
    const connected = list.connections.filter(c => c.status === 'connected');
    const fresh = await Promise.all(connected.map(c => this._client.status(c.name)));
    if (fresh.some((c, i) => c.status !== connected[i].status)) {
      await this._connections.refresh();
    }
  }

  dispose(): void {
    this._isDisposed = true;
    this._poll?.dispose();
    this._poll = null;
  }

  private readonly _client: OpenbisClient;
  private readonly _connections: IConnectionsModel;
  private _interval = 0;
  private _poll: Poll | null = null;
  private _isDisposed = false;
}
