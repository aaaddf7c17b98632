import { OpenbisClient } from '../openbis/client';
import { DatasetModel } from '../openbis/DatasetModel';
import { startDownload } from '../openbis/download';
import { problemOf } from '../openbis/errors';
import { ApiError } from '../request';
import { FakeServer } from './fakeServer';

const DATASET = '/lab-base/reana-openbis-lab/openbis/connections/lab/datasets/P-1';
const DOWNLOADS = '/lab-base/reana-openbis-lab/openbis/downloads';
const JOB = { id: 'j1', kind: 'openbis-download', title: 'Download P-1', state: 'queued' };

function modelFor(server: FakeServer): DatasetModel {
  return new DatasetModel({
    client: new OpenbisClient(server.settings),
    connection: 'lab',
    permId: 'P-1'
  });
}

describe('DatasetModel', () => {
  it('reads the detail and the files together', async () => {
    const server = new FakeServer()
      .on(DATASET, { status: 200, body: { permId: 'P-1', code: 'P-1', type: 'RAW_DATA' } })
      .on(`${DATASET}/files`, {
        status: 200,
        body: { permId: 'P-1', files: [], fileCount: 0, totalSize: 0, truncated: false }
      });
    const model = modelFor(server);

    await model.load();

    expect(model.detail?.type).toBe('RAW_DATA');
    expect(model.files?.fileCount).toBe(0);
    expect(model.problem).toBeNull();
  });

  it('keeps the server message when the dataset cannot be read', async () => {
    const server = new FakeServer().on(DATASET, {
      status: 404,
      body: { message: 'No dataset P-1 in openBIS lab' }
    });
    const model = modelFor(server);

    await model.load();

    expect(model.problem).toEqual({ kind: 'not-found', message: 'No dataset P-1 in openBIS lab' });
    expect(model.loading).toBe(false);
  });

  it('picks files and folders; a picked folder covers what is below it', () => {
    const model = modelFor(new FakeServer());
    model.toggle('original/data/a.csv');

    model.toggle('original/data');

    expect(model.selection).toEqual(['original/data']);
    expect(model.isSelected('original/data/a.csv')).toBe(true);
    expect(model.isCoveredByFolder('original/data/a.csv')).toBe(true);
    model.toggle('original/data/a.csv');
    expect(model.selection).toEqual(['original/data']);
    model.clearSelection();
    expect(model.isSelected('original/data/a.csv')).toBe(false);
  });
});

describe('startDownload', () => {
  const request = { connection: 'lab', permId: 'P-1', destination: 'data', folder: 'P-1' };
  /** What the destination holds, for "keep both". */
  const names = async () => new Set(['P-1', 'P-1 (1)', 'notes.txt']);

  it('starts the job at once when nothing is in the way', async () => {
    const server = new FakeServer().on(DOWNLOADS, { status: 202, body: JOB });
    const ask = jest.fn();

    const job = await startDownload(new OpenbisClient(server.settings), request, {
      confirm: true,
      ask,
      names
    });

    expect(job).toEqual(JOB);
    expect(ask).not.toHaveBeenCalled();
  });

  it('asks on a 409 and retries with overwrite', async () => {
    const server = new FakeServer().on(DOWNLOADS, {
      status: 409,
      body: {
        message: "The folder 'notes' already has a.csv.",
        field: 'destination',
        code: 'target_exists'
      }
    });
    const ask = jest.fn(async () => {
      server.on(DOWNLOADS, { status: 202, body: JOB });
      return 'replace' as const;
    });

    const job = await startDownload(new OpenbisClient(server.settings), request, {
      confirm: true,
      ask,
      names
    });

    expect(ask).toHaveBeenCalledWith("The folder 'notes' already has a.csv.");
    expect(job).toEqual(JOB);
    const last = await server.requests[1].clone().json();
    expect(last).toEqual({ ...request, overwrite: true });
  });

  it('does not offer to overwrite a folder that cannot be written', async () => {
    const server = new FakeServer().on(DOWNLOADS, {
      status: 409,
      body: {
        message: "'mnt' on the Jupyter server is on a read-only file system",
        field: 'destination',
        code: 'local_read_only'
      }
    });
    const ask = jest.fn(async () => 'replace' as const);

    await expect(
      startDownload(new OpenbisClient(server.settings), request, { confirm: true, ask, names })
    ).rejects.toThrow('read-only');
    expect(ask).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(1);
  });

  it('starts nothing when the user keeps the files', async () => {
    const server = new FakeServer().on(DOWNLOADS, {
      status: 409,
      body: { message: 'Already present', field: 'destination', code: 'target_exists' }
    });

    const job = await startDownload(new OpenbisClient(server.settings), request, {
      confirm: true,
      ask: async () => 'cancel',
      names
    });

    expect(job).toBeNull();
    expect(server.requests).toHaveLength(1);
  });

  it('keeps both on request: the new copy goes into the first free folder beside it', async () => {
    let calls = 0;
    const server = new FakeServer().on(DOWNLOADS, () =>
      ++calls === 1
        ? { status: 409, body: { message: 'Already present', code: 'target_exists' } }
        : { status: 202, body: JOB }
    );

    const job = await startDownload(new OpenbisClient(server.settings), request, {
      confirm: true,
      ask: async () => 'keep-both',
      names
    });

    expect(job).toEqual(JOB);
    const last = await server.requests[1].clone().json();
    expect(last).toEqual({ ...request, folder: 'P-1 (2)' });
  });

  it('replaces without asking when confirming is turned off', async () => {
    let calls = 0;
    const server = new FakeServer().on(DOWNLOADS, () =>
      ++calls === 1
        ? { status: 409, body: { message: 'Already present', code: 'target_exists' } }
        : { status: 202, body: JOB }
    );
    const ask = jest.fn();

    const job = await startDownload(new OpenbisClient(server.settings), request, {
      confirm: false,
      ask,
      names
    });

    expect(job).toEqual(JOB);
    expect(ask).not.toHaveBeenCalled();
  });

  it('passes every other refusal on', async () => {
    const server = new FakeServer().on(DOWNLOADS, {
      status: 401,
      body: { message: 'Log in again', code: 'login_required' }
    });

    const failure = startDownload(new OpenbisClient(server.settings), request, {
      confirm: true,
      ask: async () => 'replace',
      names
    });

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    expect(problemOf(await failure.catch(e => e))).toMatchObject({ kind: 'login-required' });
  });
});
