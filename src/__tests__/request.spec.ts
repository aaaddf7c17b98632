import { ServerConnection } from '@jupyterlab/services';

import { ApiError, requestAPI } from '../request';
import { FakeServer } from './fakeServer';

describe('requestAPI', () => {
  it('returns the JSON answer of a route under the base URL and namespace', async () => {
    // Given a server that knows /lab-base/reana-openbis-lab/info
    const server = new FakeServer().on('/lab-base/reana-openbis-lab/info', {
      status: 200,
      body: { name: 'reana_openbis_lab', version: '0.1.0', capabilities: {} }
    });

    // When the frontend asks for it
    const answer = await requestAPI<{ version: string }>('info', {}, server.settings);

    // Then it gets the parsed body, fetched from the right URL
    expect(answer.version).toBe('0.1.0');
    const url = new URL(server.requests[0].url);
    expect(url.origin + url.pathname).toBe('http://localhost:8888/lab-base/reana-openbis-lab/info');
  });

  it('authenticates with the token of the application settings', async () => {
    // Given settings that carry a Jupyter token
    const server = new FakeServer({ token: 'secret-token' }).on(
      '/lab-base/reana-openbis-lab/info',
      { status: 200, body: {} }
    );

    // When a request is made
    await requestAPI('info', {}, server.settings);

    // Then the token travels in the Authorization header
    expect(server.requests[0].headers.get('Authorization')).toBe('token secret-token');
  });

  it('turns a JSON error into an ApiError with the server message and field', async () => {
    // Given a route that rejects the input with the server's error convention
    const server = new FakeServer().on('/lab-base/reana-openbis-lab/openbis/connections', {
      status: 400,
      statusText: 'Bad Request',
      body: { message: 'The URL must start with https://', field: 'url', code: 'bad-url' }
    });

    // When the frontend posts to it
    const call = requestAPI(
      'openbis/connections',
      { method: 'POST', body: JSON.stringify({ url: 'ftp://x' }) },
      server.settings
    );

    // Then the error carries status, message, field and code
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({
      status: 400,
      message: 'The URL must start with https://',
      field: 'url',
      code: 'bad-url'
    });
  });

  it('keeps every failing field of a form checked as a whole', async () => {
    // Given a route that checked several properties at once
    const server = new FakeServer().on('/lab-base/reana-openbis-lab/openbis/upload', {
      status: 400,
      body: {
        message: 'Two properties are invalid.',
        field: 'properties.NAME',
        errors: [
          { field: 'properties.NAME', message: 'Required.' },
          { field: 'properties.DATE', message: 'Not a date.' },
          { field: 42 }
        ]
      }
    });

    // When the form is sent
    const call = requestAPI('openbis/upload', { method: 'POST' }, server.settings);

    // Then each well-formed field error is there for the form to show
    await expect(call).rejects.toMatchObject({
      errors: [
        { field: 'properties.NAME', message: 'Required.' },
        { field: 'properties.DATE', message: 'Not a date.' }
      ]
    });
  });

  it('turns a non-JSON error page into an ApiError with the HTTP status text', async () => {
    // Given no route at all: Jupyter answers its HTML 404 page
    const server = new FakeServer();

    // When the frontend asks an unknown route
    const call = requestAPI('info', {}, server.settings);

    // Then the error still says what happened
    await expect(call).rejects.toMatchObject({
      status: 404,
      message: '404 Not Found',
      field: undefined,
      errors: []
    });
  });

  it('rejects a success answer that is not JSON', async () => {
    // Given a proxy that answers 200 with an HTML page
    const server = new FakeServer().on('/lab-base/reana-openbis-lab/info', {
      status: 200,
      text: '<html>login</html>'
    });

    // When the frontend asks for JSON
    const call = requestAPI('info', {}, server.settings);

    // Then it gets an error rather than a string pretending to be data
    await expect(call).rejects.toMatchObject({
      status: 200,
      message: 'The server answer is not valid JSON.'
    });
  });

  it('resolves to undefined for an empty answer', async () => {
    // Given a route that answers 204 No Content
    const server = new FakeServer().on('/lab-base/reana-openbis-lab/jobs/1', {
      status: 204
    });

    // When it is called
    const answer = await requestAPI<void>('jobs/1', { method: 'DELETE' }, server.settings);

    // Then there is nothing to parse and nothing fails
    expect(answer).toBeUndefined();
  });

  it('reports an unreachable server as a NetworkError', async () => {
    // Given a server that cannot be reached
    const server = new FakeServer().on('/lab-base/reana-openbis-lab/info', 'network-error');

    // When the frontend asks
    const call = requestAPI('info', {}, server.settings);

    // Then the error says "network", not "bad answer"
    await expect(call).rejects.toBeInstanceOf(ServerConnection.NetworkError);
  });
});
