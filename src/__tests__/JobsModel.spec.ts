import { Signal } from '@lumino/signaling';

import {
  IClearedJobsStore,
  IServerEvent,
  JOB_EVENT_SCHEMA_ID,
  JobsModel
} from '../models/JobsModel';
import { IJob } from '../tokens';
import { FakeServer } from './fakeServer';

const JOBS_PATH = '/lab-base/reana-openbis-lab/jobs';

const RUNNING: IJob = {
  id: 'j1',
  kind: 'openbis-download',
  title: 'Download 20240101-1',
  state: 'running',
  created: 100,
  bytesDone: 10,
  bytesTotal: 100,
  filesDone: 0,
  filesTotal: 2
};

const OLD_DONE: IJob = {
  id: 'j0',
  kind: 'openbis-upload',
  title: 'Upload results',
  state: 'done',
  created: 50,
  result: { permId: '20240101-9' }
};

/** The app's event bus stand-in: tests emit what jupyter_server would send. */
class FakeEvents {
  readonly stream = new Signal<this, IServerEvent>(this);
  emit(job: IJob, schemaId = JOB_EVENT_SCHEMA_ID): void {
    this.stream.emit({ schema_id: schemaId, ...job });
  }
}

class MemoryStore implements IClearedJobsStore {
  ids: string[] = [];
  async load(): Promise<readonly string[]> {
    return this.ids;
  }
  async save(ids: readonly string[]): Promise<void> {
    this.ids = [...ids];
  }
}

function jobsRequests(server: FakeServer): number {
  return server.requests.filter(r => new URL(r.url).pathname === JOBS_PATH).length;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

describe('JobsModel', () => {
  let model: JobsModel | null = null;
  afterEach(() => {
    model?.dispose();
    model = null;
  });

  it('shows the jobs the server already runs at start (after a page reload)', async () => {
    // Given a server with a running and an older finished job
    const server = new FakeServer().on(JOBS_PATH, {
      status: 200,
      body: { jobs: [OLD_DONE, RUNNING] }
    });
    model = new JobsModel({ serverSettings: server.settings, events: new FakeEvents().stream });
    const finished: IJob[] = [];
    model.finished.connect((_, job) => finished.push(job));

    // When the model starts
    await model.start();

    // Then both are listed newest first, and the old one is not announced as just finished
    expect(model.jobs.map(j => j.id)).toEqual(['j1', 'j0']);
    expect(finished).toEqual([]);
  });

  it('follows progress and the end of a job from the event stream', async () => {
    // Given a model that knows one running job
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [RUNNING] } });
    const events = new FakeEvents();
    model = new JobsModel({ serverSettings: server.settings, events: events.stream });
    await model.start();
    const finished: IJob[] = [];
    model.finished.connect((_, job) => finished.push(job));

    // When events report progress, an unrelated schema, then the end
    events.emit({ ...RUNNING, bytesDone: 60 });
    events.emit({ ...RUNNING, bytesDone: 99 }, 'https://events.jupyter.org/other/v1');
    expect(model.get('j1')?.bytesDone).toBe(60);
    events.emit({ ...RUNNING, state: 'done', bytesDone: 100, result: { destination: 'data' } });

    // Then the job is done, announced once, even if a late progress event follows
    events.emit({ ...RUNNING, bytesDone: 80 });
    expect(model.get('j1')?.state).toBe('done');
    expect(finished.map(j => j.id)).toEqual(['j1']);
  });

  it('tells when a job just started ends, also when its end came before the start answer', async () => {
    // Given a model watching the event stream
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [] } });
    const events = new FakeEvents();
    model = new JobsModel({ serverSettings: server.settings, events: events.stream });
    await model.start();

    // When a small job's final event arrives before the 202 that started it
    events.emit({ ...RUNNING, id: 'fast', state: 'done', bytesDone: 100 });
    const fast = await model.whenFinished({ ...RUNNING, id: 'fast', state: 'queued' });

    // Then waiting for it resolves at once with its final state
    expect(fast.state).toBe('done');

    // And a job that is still running resolves with its end, once
    const slow = model.whenFinished({ ...RUNNING, id: 'slow', state: 'queued' });
    events.emit({ ...RUNNING, id: 'slow', bytesDone: 50 });
    events.emit({ ...RUNNING, id: 'slow', state: 'failed', error: 'gone' });
    events.emit({ ...RUNNING, id: 'slow', state: 'failed', error: 'again' });
    expect((await slow).error).toBe('gone');
  });

  it('adds a job first seen in an event and announces its failure', async () => {
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [] } });
    const events = new FakeEvents();
    model = new JobsModel({ serverSettings: server.settings, events: events.stream });
    await model.start();
    let changes = 0;
    model.changed.connect(() => changes++);
    const finished: IJob[] = [];
    model.finished.connect((_, job) => finished.push(job));

    events.emit({ ...RUNNING, id: 'j2', state: 'queued' });
    events.emit({ ...RUNNING, id: 'j2', state: 'failed', error: 'openBIS did not answer.' });

    expect(changes).toBe(1);
    expect(finished[0].error).toBe('openBIS did not answer.');
  });

  it('polls /jobs only while a job runs and the event stream stays silent', async () => {
    // Given a running job and an event stream that never delivers
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [RUNNING] } });
    model = new JobsModel({
      serverSettings: server.settings,
      events: new FakeEvents().stream,
      pollInterval: 20,
      silenceLimit: 50
    });
    await model.start();
    expect(jobsRequests(server)).toBe(1);

    // When the silence lasts longer than the limit
    server.on(JOBS_PATH, {
      status: 200,
      body: { jobs: [{ ...RUNNING, state: 'done', bytesDone: 100 }] }
    });
    await sleep(200);

    // Then the model read /jobs again and saw the end; with nothing running it stops polling
    expect(model.get('j1')?.state).toBe('done');
    const after = jobsRequests(server);
    expect(after).toBeGreaterThan(1);
    await sleep(100);
    expect(jobsRequests(server)).toBe(after);
  });

  it('does not poll while events flow', async () => {
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [RUNNING] } });
    const events = new FakeEvents();
    model = new JobsModel({
      serverSettings: server.settings,
      events: events.stream,
      pollInterval: 20,
      silenceLimit: 80
    });
    await model.start();

    for (let i = 0; i < 8; i++) {
      events.emit({ ...RUNNING, bytesDone: 10 + i });
      await sleep(25);
    }

    expect(jobsRequests(server)).toBe(1);
  });

  it('polls at once when the app has no event stream', async () => {
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [RUNNING] } });
    model = new JobsModel({ serverSettings: server.settings, events: null, pollInterval: 20 });
    await model.start();

    await sleep(100);

    expect(jobsRequests(server)).toBeGreaterThan(2);
    expect(model.polling).toBe(true);
  });

  it('cancels through the server and shows its answer', async () => {
    const server = new FakeServer()
      .on(JOBS_PATH, { status: 200, body: { jobs: [RUNNING] } })
      .on(`${JOBS_PATH}/j1/cancel`, { status: 202, body: { ...RUNNING, state: 'cancelled' } });
    model = new JobsModel({ serverSettings: server.settings, events: new FakeEvents().stream });
    await model.start();

    await model.cancel('j1');

    const cancel = server.requests.find(r => new URL(r.url).pathname === `${JOBS_PATH}/j1/cancel`);
    expect(cancel?.method).toBe('POST');
    expect(model.get('j1')?.state).toBe('cancelled');
  });

  it('reports the server refusing a cancel', async () => {
    const server = new FakeServer()
      .on(JOBS_PATH, { status: 200, body: { jobs: [OLD_DONE] } })
      .on(`${JOBS_PATH}/j0/cancel`, {
        status: 409,
        body: { message: 'The job has already finished.' }
      });
    model = new JobsModel({ serverSettings: server.settings, events: new FakeEvents().stream });
    await model.start();

    await expect(model.cancel('j0')).rejects.toMatchObject({
      status: 409,
      message: 'The job has already finished.'
    });
  });

  it('keeps cleared jobs hidden after a reload, and forgets ids the server dropped', async () => {
    // Given a finished and a running job
    const server = new FakeServer().on(JOBS_PATH, {
      status: 200,
      body: { jobs: [OLD_DONE, RUNNING] }
    });
    const store = new MemoryStore();
    store.ids = ['gone'];
    model = new JobsModel({
      serverSettings: server.settings,
      events: new FakeEvents().stream,
      clearedStore: store
    });
    await model.start();

    // When the user clears finished transfers
    await model.clearFinished();

    // Then only the running one is shown, and a new page load hides the cleared one too
    expect(model.jobs.map(j => j.id)).toEqual(['j1']);
    expect(store.ids).toEqual(['j0']);
    const reloaded = new JobsModel({
      serverSettings: server.settings,
      events: new FakeEvents().stream,
      clearedStore: store
    });
    await reloaded.start();
    expect(reloaded.jobs.map(j => j.id)).toEqual(['j1']);
    expect(reloaded.get('j0')?.state).toBe('done');
    reloaded.dispose();
  });

  it('makes a started job known before its first event', async () => {
    const server = new FakeServer().on(JOBS_PATH, { status: 200, body: { jobs: [] } });
    model = new JobsModel({ serverSettings: server.settings, events: new FakeEvents().stream });
    await model.start();

    model.track({ ...RUNNING, state: 'queued' });

    expect(model.jobs.map(j => j.state)).toEqual(['queued']);
  });

  it('lets neither the listing at start nor the event stream take back what the other said', async () => {
    // Given a listing that is still on its way when the job's next events arrive
    const server = new FakeServer().on(JOBS_PATH, {
      status: 200,
      body: { jobs: [OLD_DONE, { ...RUNNING, bytesDone: 10 }] }
    });
    const release = server.holdNext(JOBS_PATH);
    const events = new FakeEvents();
    model = new JobsModel({ serverSettings: server.settings, events: events.stream });
    const started = model.start();
    events.emit({ ...RUNNING, bytesDone: 90 });
    events.emit({ ...RUNNING, id: 'j2', created: 200, state: 'queued' });

    // When the (older) listing answers
    release();
    await started;

    // Then the newer event states stay, and the listed jobs are there too
    expect(model.jobs.map(j => j.id)).toEqual(['j2', 'j1', 'j0']);
    expect(model.get('j1')?.bytesDone).toBe(90);
  });

  it('asks for the listing again when it failed at start, instead of staying empty', async () => {
    // Given a server whose first answer to GET /jobs is an error
    let calls = 0;
    const server = new FakeServer().on(JOBS_PATH, () =>
      ++calls === 1
        ? { status: 503, body: { message: 'busy' } }
        : { status: 200, body: { jobs: [OLD_DONE] } }
    );
    model = new JobsModel({
      serverSettings: server.settings,
      events: new FakeEvents().stream,
      pollInterval: 20
    });

    // When the model starts, the listing fails
    await expect(model.start()).rejects.toBeTruthy();
    expect(model.jobs).toEqual([]);

    // Then it asks again on its own, and lists the jobs
    for (let i = 0; i < 100 && model.jobs.length === 0; i++) {
      await sleep(20);
    }
    expect(model.jobs.map(j => j.id)).toEqual(['j0']);
  });
});
