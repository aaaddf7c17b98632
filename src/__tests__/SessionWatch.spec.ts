import { Signal } from '@lumino/signaling';

import { OpenbisClient } from '../openbis/client';
import { SessionWatch } from '../openbis/SessionWatch';
import { ConnectionList, IConnectionsModel, IOpenbisConnection } from '../tokens';
import { FakeServer } from './fakeServer';

const LIST = '/lab-base/reana-openbis-lab/openbis/connections';

function connection(name: string, status: IOpenbisConnection['status']): IOpenbisConnection {
  return {
    name,
    url: 'https://openbis.example.org',
    verifyCertificates: true,
    insecureHttp: false,
    auth: 'password',
    preset: false,
    hasSecret: false,
    status
  };
}

/** The shared connection lists, as far as the watch reads them. */
class FakeConnections implements IConnectionsModel {
  constructor(readonly openbis: ConnectionList<IOpenbisConnection>) {}
  readonly reana: ConnectionList<never> = { status: 'ready', connections: [] };
  readonly changed = new Signal<this, void>(this);
  refreshes = 0;
  async refresh(): Promise<void> {
    this.refreshes++;
  }
}

describe('SessionWatch', () => {
  it('asks openBIS about the logged-in sessions only', async () => {
    const server = new FakeServer().on(`${LIST}/lab/status`, {
      status: 200,
      body: connection('lab', 'connected')
    });
    const connections = new FakeConnections({
      status: 'ready',
      connections: [connection('lab', 'connected'), connection('other', 'disconnected')]
    });
    const watch = new SessionWatch({ client: new OpenbisClient(server.settings), connections });

    await watch.check();

    expect(server.requests.map(r => new URL(r.url).pathname)).toEqual([`${LIST}/lab/status`]);
    expect(connections.refreshes).toBe(0);
    watch.dispose();
  });

  it('re-reads the list when a session expired', async () => {
    const server = new FakeServer().on(`${LIST}/lab/status`, {
      status: 200,
      body: connection('lab', 'expired')
    });
    const connections = new FakeConnections({
      status: 'ready',
      connections: [connection('lab', 'connected')]
    });
    const watch = new SessionWatch({ client: new OpenbisClient(server.settings), connections });

    await watch.check();

    expect(connections.refreshes).toBe(1);
    watch.dispose();
  });

  it('checks nothing while turned off', () => {
    const server = new FakeServer();
    const connections = new FakeConnections({ status: 'loading' });
    const watch = new SessionWatch({ client: new OpenbisClient(server.settings), connections });

    watch.interval = 0;

    expect(watch.interval).toBe(0);
    expect(server.requests).toHaveLength(0);
    watch.dispose();
  });
});
