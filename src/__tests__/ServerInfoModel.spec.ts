import { ServerInfoModel } from '../models/ServerInfoModel';
import { Handshake } from '../tokens';
import { FakeAnswer, FakeServer } from './fakeServer';

const INFO_PATH = '/lab-base/reana-openbis-lab/info';

function modelAnswering(answer: FakeAnswer, frontendVersion = '0.1.0') {
  const server = new FakeServer().on(INFO_PATH, answer);
  const model = new ServerInfoModel({ serverSettings: server.settings, frontendVersion });
  return { server, model };
}

function info(version: string) {
  return {
    status: 200,
    body: { name: 'reana_openbis_lab', version, capabilities: { sshfs: { available: true } } }
  };
}

describe('ServerInfoModel', () => {
  it('is checking until the first answer', () => {
    const { model } = modelAnswering(info('0.1.0'));

    expect(model.handshake).toEqual({ status: 'checking' });
  });

  it('is ready with the server info when both versions agree', async () => {
    // Given a server extension of the same release
    const { model } = modelAnswering(info('0.1.0'));

    // When the handshake runs
    const handshake = await model.check();

    // Then the model is ready and exposes the capabilities
    expect(handshake).toEqual({
      status: 'ready',
      info: {
        name: 'reana_openbis_lab',
        version: '0.1.0',
        capabilities: { sshfs: { available: true } }
      }
    });
    expect(model.handshake).toBe(handshake);
  });

  it('accepts the Python spelling of a pre-release', async () => {
    const { model } = modelAnswering(info('0.2.0a1'), '0.2.0-alpha.1');

    expect((await model.check()).status).toBe('ready');
  });

  it('names both versions when they differ', async () => {
    // Given a server extension left over from another release
    const { model } = modelAnswering(info('0.0.9'));

    // When the handshake runs
    const handshake = await model.check();

    // Then both versions are known to the UI
    expect(handshake).toMatchObject({
      status: 'mismatch',
      serverVersion: '0.0.9',
      frontendVersion: '0.1.0'
    });
  });

  it('reports a missing server extension when the route is unknown', async () => {
    // Given a Jupyter server without the extension (HTML 404)
    const { model } = modelAnswering({ status: 404, text: '<html>404</html>' });

    // When / Then
    expect(await model.check()).toEqual({ status: 'missing', reason: 'not-found' });
  });

  it('reports a missing server when the network fails', async () => {
    const { model } = modelAnswering('network-error');

    expect(await model.check()).toEqual({ status: 'missing', reason: 'network' });
  });

  it('treats an answer of the wrong shape as a missing extension', async () => {
    // Given something else answering on the route
    const { model } = modelAnswering({ status: 200, body: { hello: 'world' } });

    expect(await model.check()).toEqual({ status: 'missing', reason: 'not-found' });
  });

  it('keeps the server message of any other failure', async () => {
    // Given a server that refuses the request
    const { model } = modelAnswering({
      status: 403,
      statusText: 'Forbidden',
      body: { message: 'Not logged in to Jupyter.' }
    });

    // When / Then
    expect(await model.check()).toEqual({
      status: 'failed',
      httpStatus: 403,
      message: 'Not logged in to Jupyter.'
    });
  });

  it('shares one request between concurrent checks and signals each outcome', async () => {
    // Given a listener on the model
    const { server, model } = modelAnswering(info('0.1.0'));
    const seen: Handshake[] = [];
    model.handshakeChanged.connect((_, handshake) => seen.push(handshake));

    // When two checks overlap, then a third follows
    const [first, second] = await Promise.all([model.check(), model.check()]);
    await model.check();

    // Then the overlapping pair cost one request, and every completed check was signalled
    expect(second).toBe(first);
    expect(server.requests).toHaveLength(2);
    expect(seen.map(h => h.status)).toEqual(['ready', 'ready']);
  });

  it('follows the server when it changes between checks', async () => {
    // Given a server that was missing, then comes up
    const { server, model } = modelAnswering('network-error');
    expect((await model.check()).status).toBe('missing');

    // When the server extension answers and the handshake is repeated
    server.on(INFO_PATH, info('0.1.0'));

    // Then the model becomes ready
    expect((await model.check()).status).toBe('ready');
  });
});
