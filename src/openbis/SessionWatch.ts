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
    this.#client = options.client;
    this.#connections = options.connections;
  }

  /** Milliseconds between two checks; 0 stops checking. */
  get interval(): number {
    return this.#interval;
  }

  set interval(milliseconds: number) {
    this.#interval = milliseconds;
    this.#poll?.dispose();
    this.#poll = null;
    if (milliseconds > 0 && !this.#isDisposed) {
      this.#poll = new Poll({
        factory: () => this.check(),
        frequency: { interval: milliseconds, backoff: true, max: Math.max(milliseconds, 600_000) },
        name: 'reana-openbis-lab:openbis-sessions',
        standby: 'when-hidden'
      });
    }
  }

  get isDisposed(): boolean {
    return this.#isDisposed;
  }

  /** Check every connected session once; re-read the list when one changed. */
  async check(): Promise<void> {
    const list = this.#connections.openbis;
    if (list.status !== 'ready') {
      return;
    }
    const connected = list.connections.filter(c => c.status === 'connected');
    const fresh = await Promise.all(connected.map(c => this.#client.status(c.name)));
    if (fresh.some((c, i) => c.status !== connected[i].status)) {
      await this.#connections.refresh();
    }
  }

  dispose(): void {
    this.#isDisposed = true;
    this.#poll?.dispose();
    this.#poll = null;
  }

  readonly #client: OpenbisClient;
  readonly #connections: IConnectionsModel;
  #interval = 0;
  #poll: Poll | null = null;
  #isDisposed = false;
}
