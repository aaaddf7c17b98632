import { ISignal, Signal } from '@lumino/signaling';

import { CONNECTION_EVENT_SCHEMA_ID, ConnectionsModel } from '../models/ConnectionsModel';
import { IServerEvent } from '../models/JobsModel';
import { ServerInfoModel } from '../models/ServerInfoModel';
import { IOpenbisConnection, IReanaConnection } from '../tokens';
import { FakeServer } from './fakeServer';

const OPENBIS_PATH = '/lab-base/reana-openbis-lab/openbis/connections';
const REANA_PATH = '/lab-base/reana-openbis-lab/reana/connections';
const INFO_PATH = '/lab-base/reana-openbis-lab/info';
const INFO = { name: 'reana_openbis_lab', version: '0.1.0', capabilities: {} };

const LAB_OPENBIS: IOpenbisConnection = {
  name: 'lab',
  url: 'https://openbis.example.org',
  verifyCertificates: true,
  insecureHttp: false,
  username: 'alice',
  auth: 'password',
  preset: true,
  hasSecret: true,
  status: 'connected',
  loggedInAs: 'alice'
};

const CERN_REANA: IReanaConnection = {
  name: 'cern',
  url: 'https://reana.cern.ch',
  verifyCertificates: true,
  source: 'user',
  readOnly: false,
  hasToken: true,
  checkedAt: 1795300000
};

function modelsFor(server: FakeServer) {
  const serverInfo = new ServerInfoModel({
    serverSettings: server.settings,
    frontendVersion: '0.1.0'
  });
  const connections = new ConnectionsModel({
    serverSettings: server.settings,
    serverInfo,
    refreshInterval: 60_000
  });
  return { serverInfo, connections };
}

function modelFor(server: FakeServer): ConnectionsModel {
  return modelsFor(server).connections;
}

function listRequests(server: FakeServer): string[] {
  return server.requests
    .map(request => new URL(request.url).pathname)
    .filter(path => path !== INFO_PATH);
}

/** Resolve at the next emission of `signal`. */
function nextEmission<T, U>(signal: ISignal<T, U>): Promise<void> {
  return new Promise(resolve => {
    const once = () => {
      signal.disconnect(once);
      resolve();
    };
    signal.connect(once);
  });
}

describe('ConnectionsModel', () => {
  it('is loading until the first refresh', () => {
    const model = modelFor(new FakeServer());

    expect(model.openbis).toEqual({ status: 'loading' });
    expect(model.reana).toEqual({ status: 'loading' });
  });

  it('lists the connections of both services and signals once', async () => {
    // Given a server with one openBIS and one REANA connection
    const server = new FakeServer()
      .on(OPENBIS_PATH, { status: 200, body: { connections: [LAB_OPENBIS] } })
      .on(REANA_PATH, { status: 200, body: { connections: [CERN_REANA] } });
    const model = modelFor(server);
    let emissions = 0;
    model.changed.connect(() => emissions++);

    // When the model refreshes
    await model.refresh();

    // Then both lists are ready, after one signal
    expect(model.openbis).toEqual({ status: 'ready', connections: [LAB_OPENBIS] });
    expect(model.reana).toEqual({ status: 'ready', connections: [CERN_REANA] });
    expect(emissions).toBe(1);
  });

  it('marks a list unavailable when the server has no such route', async () => {
    // Given a server extension without REANA routes
    const server = new FakeServer().on(OPENBIS_PATH, { status: 200, body: { connections: [] } });
    const model = modelFor(server);

    // When the model refreshes
    await model.refresh();

    // Then openBIS is listed and REANA is left out, not reported as an error
    expect(model.openbis).toEqual({ status: 'ready', connections: [] });
    expect(model.reana).toEqual({ status: 'unavailable' });
  });

  it('keeps the server message when a list fails', async () => {
    // Given a REANA list that fails upstream
    const server = new FakeServer()
      .on(OPENBIS_PATH, { status: 200, body: { connections: [] } })
      .on(REANA_PATH, { status: 502, body: { message: 'REANA did not answer.' } });
    const model = modelFor(server);

    // When the model refreshes
    await model.refresh();

    // Then the failure is a state carrying the server's words
    expect(model.reana).toEqual({ status: 'failed', message: 'REANA did not answer.' });
  });

  it('keeps the answer of the latest refresh when two overlap', async () => {
    // Given a first refresh still waiting for its answers
    const server = new FakeServer()
      .on(OPENBIS_PATH, { status: 200, body: { connections: [] } })
      .on(REANA_PATH, { status: 200, body: { connections: [] } });
    const model = modelFor(server);
    const releaseOlder = server.holdNext(OPENBIS_PATH);
    const older = model.refresh();

    // When a connection appears, a second refresh completes, and only then the first one
    server.on(OPENBIS_PATH, { status: 200, body: { connections: [LAB_OPENBIS] } });
    await model.refresh();
    releaseOlder();
    await older;

    // Then the stale answer of the first refresh does not overwrite the newer one
    expect(model.openbis).toEqual({ status: 'ready', connections: [LAB_OPENBIS] });
  });

  it('starts reading both lists once the handshake succeeds', async () => {
    // Given a server extension of the same release, with connections
    const server = new FakeServer()
      .on(INFO_PATH, { status: 200, body: INFO })
      .on(OPENBIS_PATH, { status: 200, body: { connections: [LAB_OPENBIS] } })
      .on(REANA_PATH, { status: 200, body: { connections: [] } });
    const { serverInfo, connections } = modelsFor(server);

    // When the handshake succeeds
    const refreshed = nextEmission(connections.changed);
    await serverInfo.check();
    await refreshed;

    // Then the lists arrive without waiting a whole poll interval
    expect(connections.openbis.status).toBe('ready');
    expect(listRequests(server).sort()).toEqual([OPENBIS_PATH, REANA_PATH]);
    connections.dispose();
  });

  it('reads the lists again at every later successful handshake', async () => {
    // Given a model that already listed the connections
    const server = new FakeServer()
      .on(INFO_PATH, { status: 200, body: INFO })
      .on(OPENBIS_PATH, { status: 200, body: { connections: [] } })
      .on(REANA_PATH, { status: 200, body: { connections: [] } });
    const { serverInfo, connections } = modelsFor(server);
    const first = nextEmission(connections.changed);
    await serverInfo.check();
    await first;

    // When a connection appears and the user refreshes (a new handshake)
    server.on(OPENBIS_PATH, { status: 200, body: { connections: [LAB_OPENBIS] } });
    const second = nextEmission(connections.changed);
    await serverInfo.check();
    await second;

    // Then the new connection is listed
    expect(connections.openbis).toEqual({ status: 'ready', connections: [LAB_OPENBIS] });
    connections.dispose();
  });

  it('reads the lists at once when the server tells of a status change', async () => {
    // Given a model listening to the event bus, whose password preset is not logged in yet
    const events = new Signal<unknown, IServerEvent>({});
    const server = new FakeServer()
      .on(INFO_PATH, { status: 200, body: INFO })
      .on(OPENBIS_PATH, {
        status: 200,
        body: { connections: [{ ...LAB_OPENBIS, status: 'disconnected', loggedInAs: null }] }
      })
      .on(REANA_PATH, { status: 200, body: { connections: [] } });
    const serverInfo = new ServerInfoModel({
      serverSettings: server.settings,
      frontendVersion: '0.1.0'
    });
    const connections = new ConnectionsModel({
      serverSettings: server.settings,
      serverInfo,
      refreshInterval: 60_000,
      events
    });
    const first = nextEmission(connections.changed);
    await serverInfo.check();
    await first;

    // When browsing logged it in and the server says so (other events change nothing)
    server.on(OPENBIS_PATH, { status: 200, body: { connections: [LAB_OPENBIS] } });
    events.emit({ schema_id: 'https://events.jupyter.org/reana_openbis_lab/job/v1' });
    const second = nextEmission(connections.changed);
    events.emit({ schema_id: CONNECTION_EVENT_SCHEMA_ID, name: 'lab', status: 'connected' });
    await second;

    // Then the list says connected long before the next poll
    expect(connections.openbis).toEqual({ status: 'ready', connections: [LAB_OPENBIS] });
    expect(listRequests(server).filter(p => p === OPENBIS_PATH)).toHaveLength(2);
    connections.dispose();
  });

  it('asks nothing while the server extension is missing', async () => {
    // Given a Jupyter server without the extension
    const server = new FakeServer();
    const { serverInfo, connections } = modelsFor(server);

    // When the handshake fails
    await serverInfo.check();

    // Then no list route was called and the lists stay loading
    expect(listRequests(server)).toEqual([]);
    expect(connections.openbis.status).toBe('loading');
    connections.dispose();
  });

  it('stops listening to the handshake when disposed', async () => {
    // Given a disposed model and a live one on the same server
    const server = new FakeServer()
      .on(INFO_PATH, { status: 200, body: INFO })
      .on(OPENBIS_PATH, { status: 200, body: { connections: [] } })
      .on(REANA_PATH, { status: 200, body: { connections: [] } });
    const { serverInfo, connections: disposed } = modelsFor(server);
    disposed.dispose();
    const live = new ConnectionsModel({
      serverSettings: server.settings,
      serverInfo,
      refreshInterval: 60_000
    });

    // When the handshake succeeds and the live model has listed
    const listed = nextEmission(live.changed);
    await serverInfo.check();
    await listed;

    // Then only the live model asked for the lists
    expect(listRequests(server)).toHaveLength(2);
    expect(disposed.openbis.status).toBe('loading');
    live.dispose();
  });
});
