import { nullTranslator } from '@jupyterlab/translation';

import { OpenbisClient } from '../openbis/client';
import { ConnectionFormModel } from '../openbis/ConnectionFormModel';
import { IOpenbisConnection } from '../tokens';
import { FakeServer } from './fakeServer';

const LIST = '/lab-base/reana-openbis-lab/openbis/connections';
const trans = nullTranslator.load('reana_openbis_lab');

function connection(overrides: Partial<IOpenbisConnection> = {}): IOpenbisConnection {
  return {
    name: 'lab',
    url: 'https://openbis.example.org',
    verifyCertificates: true,
    insecureHttp: false,
    username: 'alice',
    auth: 'password',
    preset: false,
    hasSecret: false,
    status: 'disconnected',
    ...overrides
  };
}

function formFor(server: FakeServer, existing?: IOpenbisConnection): ConnectionFormModel {
  return new ConnectionFormModel({
    client: new OpenbisClient(server.settings),
    trans,
    connection: existing
  });
}

function fill(form: ConnectionFormModel, password = 'secret'): void {
  form.set('name', 'lab');
  form.set('url', 'https://openbis.example.org');
  form.set('username', 'alice');
  form.set('password', password);
}

async function bodies(server: FakeServer): Promise<[string, string, unknown][]> {
  return Promise.all(
    server.requests.map(async r => {
      const text = await r.clone().text();
      return [r.method, new URL(r.url).pathname, text ? JSON.parse(text) : undefined];
    })
  );
}

describe('ConnectionFormModel', () => {
  it('finds missing and malformed inputs without asking the server', async () => {
    const server = new FakeServer();
    const form = formFor(server);
    form.set('name', 'my lab');
    form.set('url', 'openbis.example.org');

    const result = await form.submit();

    expect(result).toBeNull();
    expect(Object.keys(form.errors).sort()).toEqual(['name', 'password', 'url', 'username']);
    expect(server.requests).toHaveLength(0);
  });

  it('asks for a token instead of a user name with token log-in', () => {
    const form = formFor(new FakeServer());
    form.set('name', 'lab');
    form.set('url', 'https://openbis.example.org');
    form.set('auth', 'token');

    expect(Object.keys(form.validate())).toEqual(['token']);
  });

  it('creates the connection, then logs in with the secret, never saving the secret', async () => {
    const server = new FakeServer()
      .on(LIST, { status: 201, body: connection() })
      .on(`${LIST}/lab/login`, {
        status: 200,
        body: connection({ status: 'connected', loggedInAs: 'alice', hasSecret: true })
      });
    const form = formFor(server);
    fill(form);
    form.set('remember', false);

    const result = await form.submit();

    expect(result).toMatchObject({ status: 'connected', loggedInAs: 'alice' });
    expect(await bodies(server)).toEqual([
      [
        'POST',
        LIST,
        {
          name: 'lab',
          url: 'https://openbis.example.org',
          auth: 'password',
          username: 'alice',
          verifyCertificates: true
        }
      ],
      ['POST', `${LIST}/lab/login`, { username: 'alice', password: 'secret', remember: false }]
    ]);
  });

  it('puts a rejected password next to the password and keeps every input', async () => {
    const server = new FakeServer()
      .on(LIST, { status: 201, body: connection() })
      .on(`${LIST}/lab/login`, {
        status: 403,
        body: { message: 'openBIS rejected the credentials', code: 'credentials_rejected' }
      });
    const form = formFor(server);
    fill(form, 'wrong');

    const result = await form.submit();

    expect(result).toBeNull();
    expect(form.errors).toEqual({
      password: 'openBIS did not accept this user name and password.'
    });
    expect(form.values).toMatchObject({ name: 'lab', username: 'alice', password: 'wrong' });
    expect(form.submitting).toBe(false);
  });

  it('does not create the connection twice when the user retries the password', async () => {
    const server = new FakeServer()
      .on(LIST, { status: 201, body: connection() })
      .on(`${LIST}/lab/login`, {
        status: 403,
        body: { message: 'rejected', code: 'credentials_rejected' }
      })
      .on(`${LIST}/lab`, { status: 200, body: connection() });
    const form = formFor(server);
    fill(form, 'wrong');
    await form.submit();
    server.on(`${LIST}/lab/login`, { status: 200, body: connection({ status: 'connected' }) });

    form.set('password', 'secret');
    expect(form.errors.password).toBeUndefined();
    const result = await form.submit();

    expect(result).toMatchObject({ status: 'connected' });
    const calls = (await bodies(server)).map(([method, path]) => `${method} ${path}`);
    expect(calls).toEqual([
      `POST ${LIST}`,
      `POST ${LIST}/lab/login`,
      `GET ${LIST}/lab`,
      `POST ${LIST}/lab/login`
    ]);
  });

  it('deletes the connection its failed log-in left behind when the user cancels', async () => {
    // Given an "Add" whose log-in failed after the connection was created
    const server = new FakeServer()
      .on(LIST, { status: 201, body: connection() })
      .on(`${LIST}/lab/login`, {
        status: 502,
        body: { message: 'openBIS unreachable', code: 'upstream_unreachable' }
      })
      .on(`${LIST}/lab`, { status: 204, body: null });
    const form = formFor(server);
    fill(form);
    await form.submit();

    // When the user cancels
    await form.discard();

    // Then the connection is deleted again, once
    await form.discard();
    const calls = (await bodies(server)).map(([method, path]) => `${method} ${path}`);
    expect(calls).toEqual([`POST ${LIST}`, `POST ${LIST}/lab/login`, `DELETE ${LIST}/lab`]);
  });

  it('keeps an edited connection when the user cancels', async () => {
    const server = new FakeServer();
    const form = formFor(server, connection());

    await form.discard();

    expect(server.requests).toEqual([]);
  });

  it('shows every server field error next to its field', async () => {
    const server = new FakeServer().on(LIST, {
      status: 400,
      body: {
        message: 'Invalid connection',
        errors: [
          { field: 'url', message: 'The URL must not contain a path' },
          { field: 'name', message: 'A connection named lab already exists' }
        ]
      }
    });
    const form = formFor(server);
    fill(form);

    await form.submit();

    expect(form.errors).toEqual({
      url: 'The URL must not contain a path',
      name: 'A connection named lab already exists'
    });
  });

  it('maps a single `field` error and keeps unknown fields for the form', async () => {
    const server = new FakeServer().on(LIST, {
      status: 400,
      body: { message: 'Bad timeout', field: 'timeout' }
    });
    const form = formFor(server);
    fill(form);

    await form.submit();

    expect(form.errors).toEqual({ form: 'Bad timeout' });
  });

  it('says a down server in the form, not at a field', async () => {
    const server = new FakeServer()
      .on(LIST, { status: 201, body: connection() })
      .on(`${LIST}/lab/login`, {
        status: 504,
        body: { message: 'openBIS did not answer in 60 s' }
      });
    const form = formFor(server);
    fill(form);

    await form.submit();

    expect(form.errors).toEqual({ form: 'openBIS did not answer in 60 s' });
  });

  it('on edit, sends only the changed fields and may leave the secret out', async () => {
    const server = new FakeServer().on(`${LIST}/lab`, {
      status: 200,
      body: connection({ url: 'https://new.example.org' })
    });
    const form = formFor(server, connection());
    expect(form.values.password).toBe('');

    form.set('url', 'https://new.example.org');
    const result = await form.submit();

    expect(result).toMatchObject({ url: 'https://new.example.org' });
    expect(await bodies(server)).toEqual([
      ['PATCH', `${LIST}/lab`, { url: 'https://new.example.org' }]
    ]);
  });

  it('in log-in mode, only logs in', async () => {
    const server = new FakeServer().on(`${LIST}/lab/login`, {
      status: 200,
      body: connection({ status: 'connected' })
    });
    const form = new ConnectionFormModel({
      client: new OpenbisClient(server.settings),
      trans,
      connection: connection({ status: 'expired' }),
      loginOnly: true
    });
    expect(form.mode).toBe('login');

    form.set('password', 'secret');
    await form.submit();

    expect((await bodies(server)).map(([method, path]) => `${method} ${path}`)).toEqual([
      `POST ${LIST}/lab/login`
    ]);
  });
});
