import { ReanaApi } from '../reana/api';
import { textToBase64, toBase64 } from '../reana/base64';
import { SecretsModel } from '../reana/SecretsModel';
import { declaredOutputs } from '../reana/status';
import { WorkflowModel } from '../reana/WorkflowModel';
import { isGlob, WorkspaceModel } from '../reana/WorkspaceModel';
import { FakeServer } from './fakeServer';

const CONNECTION = '/lab-base/reana-openbis-lab/reana/connections/sandbox';
const RUN = `${CONNECTION}/workflows/run.1`;

describe('secret values', () => {
  it('are base64 of their UTF-8 bytes, as REANA keeps them', () => {
    expect(textToBase64('s3cr3t')).toBe('czNjcjN0');
    expect(textToBase64('é')).toBe('w6k=');
    expect(toBase64(new Uint8Array([0, 255, 128]))).toBe('AP+A');
    // larger than one String.fromCharCode call takes
    const big = new Uint8Array(200_000).fill(65);
    expect(atob(toBase64(big))).toHaveLength(200_000);
  });
});

describe('SecretsModel', () => {
  it('lists names and types, adds, and offers to replace a name that exists', async () => {
    const listed = [{ name: 'API_KEY', type: 'env' }];
    const server = new FakeServer().on(`${CONNECTION}/secrets`, request =>
      request.method === 'POST'
        ? { status: 409, body: { message: 'exists', code: 'secret_exists', field: 'name' } }
        : { status: 200, body: { secrets: listed } }
    );
    const model = new SecretsModel(new ReanaApi(server.settings), 'sandbox');
    await model.load();
    expect(model.secrets).toEqual(listed);
    const outcome = await model.add({ name: 'API_KEY', type: 'env', value: 'eA==' });
    expect(outcome.kind).toBe('exists');
    expect(model.problem).toBeNull();
    const sent = server.requests.find(r => r.method === 'POST');
    expect(sent).toBeDefined();
  });

  it('deletes by name and reads the list again', async () => {
    let secrets = [{ name: 'A', type: 'env' }];
    const server = new FakeServer()
      .on(`${CONNECTION}/secrets`, () => ({ status: 200, body: { secrets } }))
      .on(`${CONNECTION}/secrets/A`, () => {
        secrets = [];
        return { status: 204 };
      });
    const model = new SecretsModel(new ReanaApi(server.settings), 'sandbox');
    await model.load();
    await model.remove('A');
    expect(model.secrets).toEqual([]);
  });
});

describe('WorkspaceModel', () => {
  it('sends a search with wildcards as a glob below the open folder', async () => {
    const server = new FakeServer().on(`${RUN}/workspace`, {
      status: 200,
      body: { items: [], total: 0, page: 1, size: 100 }
    });
    const model = new WorkspaceModel(new ReanaApi(server.settings), 'sandbox', 'run.1');
    await model.load(1, 'results');
    await model.openFolder('data');
    await model.load(1, '**/*.csv');
    const queries = server.requests.map(r => new URL(r.url).searchParams);
    expect(queries[0].get('search')).toBe('results');
    expect(queries[0].get('glob')).toBeNull();
    expect(queries[1].get('glob')).toBe('data');
    expect(queries[1].get('search')).toBe('results');
    expect(queries[2].get('glob')).toBe('data/**/*.csv');
    expect(queries[2].get('search')).toBeNull();
    expect(isGlob('a[0-9]')).toBe(true);
    expect(isGlob('plain')).toBe(false);
  });
});

describe('declaredOutputs', () => {
  it('takes the spec outputs, folders included', () => {
    expect(
      declaredOutputs({
        specification: { outputs: { files: ['results/a.csv'], directories: ['plots'] } }
      })
    ).toEqual(['results/a.csv', 'plots']);
    expect(declaredOutputs({ specification: null })).toEqual([]);
  });
});

describe('WorkflowModel step filter', () => {
  type Tickable = { _tick(): Promise<void> };

  it('asks REANA for one step from the start and keeps the workflow log', async () => {
    const detail = {
      id: 'u1',
      name: 'run.1',
      status: 'finished',
      specification: {
        workflow: { type: 'serial', specification: { steps: [{ name: 'a' }, { name: 'b' }] } }
      }
    };
    const job = (name: string) => ({
      id: name,
      name,
      status: 'finished',
      text: `${name}\n`,
      offset: 0,
      reset: false
    });
    const server = new FakeServer()
      .on(RUN, { status: 200, body: detail })
      .on(`${RUN}/logs`, request =>
        new URL(request.url).searchParams.get('steps') === 'b'
          ? {
              status: 200,
              body: {
                workflow: { text: '', offset: 0, reset: true },
                engine: { text: '', offset: 0, reset: false },
                jobs: [job('b')],
                cursor: 'filtered'
              }
            }
          : {
              status: 200,
              body: {
                workflow: { text: 'started\n', offset: 0, reset: false },
                engine: { text: '', offset: 0, reset: false },
                jobs: [job('a'), job('b')],
                cursor: 'all'
              }
            }
      );
    const model = new WorkflowModel({
      api: new ReanaApi(server.settings),
      connection: 'sandbox',
      workflow: 'run.1',
      auto: false
    });
    await (model as unknown as Tickable)._tick();
    expect(model.steps).toEqual(['a', 'b']);
    await model.setStepFilter('b');
    await (model as unknown as Tickable)._tick();
    const filtered = server.requests
      .map(r => new URL(r.url))
      .filter(url => url.pathname.endsWith('/logs') && url.searchParams.get('steps') === 'b');
    // The first read for the step starts from the beginning; the next goes on from there
    expect(filtered[0].searchParams.get('cursor')).toBeNull();
    expect(filtered[filtered.length - 1].searchParams.get('cursor')).toBe('filtered');
    expect(model.jobs.map(j => j.id)).toEqual(['b']);
    expect(model.workflowLog.lines[0]).toBe('started');
  });
});
