import { StateDB } from '@jupyterlab/statedb';

import { ReanaApi } from '../reana/api';
import { RunEvent, RunWatcher } from '../reana/RunWatcher';
import { IJob } from '../tokens';
import { FakeServer } from './fakeServer';

const RUN_PATH = '/lab-base/reana-openbis-lab/reana/connections/sandbox/workflows/analysis.3';

const JOB: IJob = { id: 'job-1', kind: 'reana-run', title: 'Run analysis', state: 'running' };

type Tickable = { _tick(): Promise<void> };

describe('RunWatcher', () => {
  it('turns a finished run job into a started run, then reports its end', async () => {
    const server = new FakeServer().on(RUN_PATH, {
      status: 200,
      body: { id: 'id-3', name: 'analysis.3', status: 'running' }
    });
    const state = new StateDB();
    const watcher = new RunWatcher({ api: new ReanaApi(server.settings), state, jobs: null });
    const events: RunEvent[] = [];
    watcher.events.connect((_, event) => events.push(event));

    watcher.watchJob(JOB, 'sandbox');
    // The job event the server emits when create, upload and start are done
    (watcher as unknown as { _onJob(job: IJob): void })._onJob({
      ...JOB,
      state: 'done',
      result: { workflowId: 'id-3', workflowName: 'analysis.3' }
    });
    expect(events[0]).toEqual({
      kind: 'started',
      run: { connection: 'sandbox', workflow: 'analysis.3' },
      warnings: []
    });

    // Still running: nothing more; finished: one 'ended' and the run is forgotten
    await (watcher as unknown as Tickable)._tick();
    expect(events).toHaveLength(1);
    server.on(RUN_PATH, {
      status: 200,
      body: { id: 'id-3', name: 'analysis.3', status: 'finished' }
    });
    await (watcher as unknown as Tickable)._tick();
    expect(events[1]).toMatchObject({ kind: 'ended', detail: { status: 'finished' } });
    expect(watcher.runs).toHaveLength(0);

    // A 0.95 server's warnings at start travel with the event
    watcher.watchJob({ ...JOB, id: 'job-warned' }, 'sandbox');
    (watcher as unknown as { _onJob(job: IJob): void })._onJob({
      ...JOB,
      id: 'job-warned',
      state: 'done',
      result: { workflowId: 'id-4', workflowName: 'analysis.4', startWarnings: ['unused x'] }
    });
    expect(events[2]).toMatchObject({ kind: 'started', warnings: ['unused x'] });
    watcher.dispose();
  });

  it('remembers started runs across a reload', async () => {
    const server = new FakeServer();
    const state = new StateDB();
    const first = new RunWatcher({ api: new ReanaApi(server.settings), state, jobs: null });
    first.remember({ connection: 'sandbox', workflow: 'analysis.3' });
    await new Promise(resolve => setTimeout(resolve, 0));
    first.dispose();

    const second = new RunWatcher({ api: new ReanaApi(server.settings), state, jobs: null });
    await second.restore();
    expect(second.runs).toEqual([{ connection: 'sandbox', workflow: 'analysis.3' }]);
    second.dispose();
  });

  it('reports a run job that failed before the run started', () => {
    const server = new FakeServer();
    const watcher = new RunWatcher({ api: new ReanaApi(server.settings), state: null, jobs: null });
    const events: RunEvent[] = [];
    watcher.events.connect((_, event) => events.push(event));
    watcher.watchJob(JOB, 'sandbox');
    (watcher as unknown as { _onJob(job: IJob): void })._onJob({
      ...JOB,
      state: 'failed',
      error: 'upload failed'
    });
    expect(events[0]).toMatchObject({ kind: 'job-failed', connection: 'sandbox' });
    expect(watcher.runs).toHaveLength(0);
    watcher.dispose();
  });
});
