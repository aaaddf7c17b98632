import { nullTranslator } from '@jupyterlab/translation';

import { ReanaApi } from '../reana/api';
import { formError } from '../reana/connectionDialogs';
import {
  canDelete,
  canRestart,
  canStop,
  describeProblem,
  effectiveParameters,
  formatDuration,
  isActive,
  isTerminal,
  parseReanaTime,
  runDuration,
  statusKind
} from '../reana/status';
import { FakeServer } from './fakeServer';

const trans = nullTranslator.load('reana_openbis_lab');

describe('run status mapping', () => {
  it('sorts every REANA status into a badge kind', () => {
    expect(['queued', 'pending', 'running'].map(statusKind)).toEqual([
      'active',
      'active',
      'active'
    ]);
    expect(statusKind('finished')).toBe('ok');
    expect(statusKind('failed')).toBe('error');
    expect(['created', 'stopped', 'deleted', 'some-new-status'].map(statusKind)).toEqual([
      'idle',
      'idle',
      'idle',
      'idle'
    ]);
  });

  it('offers only the actions REANA accepts in each status', () => {
    // REANA 0.9.4 stops running runs only (409 "not running" for queued and pending ones)
    const all = ['created', 'queued', 'pending', 'running', 'finished', 'failed', 'stopped'];
    expect(all.filter(canStop)).toEqual(['running']);
    // and restarts finished or failed ones only (403 for a stopped run)
    expect(all.filter(canRestart)).toEqual(['finished', 'failed']);
    // a queued or pending run can be deleted, a running one cannot
    expect(all.filter(canDelete)).toEqual(all.filter(s => s !== 'running'));
  });

  it('shows the declared parameters with the start overrides on top', () => {
    // REANA's /specification answers {} when no override was given: the declared ones still show
    expect(effectiveParameters({ parameters: { n: '1', m: 'x' }, inputParameters: {} })).toEqual([
      ['n', '1', false],
      ['m', 'x', false]
    ]);
    expect(
      effectiveParameters({ parameters: { n: '1', m: 'x' }, inputParameters: { n: '5' } })
    ).toEqual([
      ['n', '5', true],
      ['m', 'x', false]
    ]);
  });

  it('knows which runs still change by themselves', () => {
    expect(isActive('running')).toBe(true);
    expect(isActive('created')).toBe(false);
    expect(isTerminal('finished')).toBe(true);
    expect(isTerminal('created')).toBe(false);
  });

  it('reads REANA times as UTC and measures durations', () => {
    expect(parseReanaTime('2026-01-05T08:00:30')).toBe(Date.UTC(2026, 0, 5, 8, 0, 30));
    expect(parseReanaTime(null)).toBeNull();
    const finished = {
      id: 'x',
      name: 'a.1',
      status: 'finished' as const,
      startedAt: '2026-01-05T08:00:30',
      finishedAt: '2026-01-05T08:02:35'
    };
    expect(formatDuration(runDuration(finished, 0)!)).toBe('2m 05s');
    const running = { ...finished, status: 'running' as const, finishedAt: null };
    expect(runDuration(running, Date.UTC(2026, 0, 5, 9, 0, 30))).toBe(3600 * 1000);
    expect(formatDuration(3723 * 1000)).toBe('1h 02m');
    expect(formatDuration((328 * 86400 + 5 * 3600 + 37 * 60) * 1000)).toBe('328d 05h');
    expect(runDuration({ ...finished, startedAt: null }, 0)).toBeNull();
  });
});

describe('error mapping', () => {
  const PATH = '/lab-base/reana-openbis-lab/reana/connections';

  async function failure(answer: { status: number; body: object }) {
    const server = new FakeServer().on(PATH, answer);
    return new ReanaApi(server.settings).addConnection({ name: 'x' }).catch(e => e);
  }

  it('puts a rejected token next to the token field', async () => {
    const error = await failure({
      status: 403,
      body: { message: 'REANA rejected the access token', code: 'token_rejected' }
    });
    expect(describeProblem(error).kind).toBe('token');
    const shown = formError(error, trans);
    expect(shown.field).toBe('accessToken');
    // Said once, with what to do, not "… this access token: REANA rejected the access token"
    expect(shown.message.match(/rejected/g)).toHaveLength(1);
    expect(shown.message).toMatch(/create a new one/);
  });

  it('puts a field error next to its field', async () => {
    const error = await failure({ status: 400, body: { message: 'Bad URL', field: 'url' } });
    expect(formError(error, trans)).toEqual({ field: 'url', message: 'Bad URL' });
  });

  it('recognises a missing reana-client environment', async () => {
    const error = await failure({
      status: 503,
      body: {
        message: 'run jupyter reana-openbis-lab install-reana-client',
        code: 'reana_client_missing'
      }
    });
    expect(describeProblem(error).kind).toBe('reana-client');
  });

  it('blames REANA for gateway errors and keeps other failures as they are', async () => {
    expect(describeProblem(await failure({ status: 504, body: { message: 'slow' } })).kind).toBe(
      'upstream'
    );
    expect(describeProblem(new Error('boom'))).toEqual({ kind: 'other', message: 'boom' });
  });
});

describe('a refused token', () => {
  it('is only what REANA itself refused, not any 401 or 403', async () => {
    const PATH = '/lab-base/reana-openbis-lab/reana/connections';
    const answer = async (status: number, body: object) =>
      new ReanaApi(new FakeServer().on(PATH, { status, body }).settings)
        .addConnection({ name: 'x' })
        .catch(e => e);
    // JupyterHub's own 403 while the server stops, a proxy's 401: shown as they are
    const hub = await answer(403, { message: 'Forbidden' });
    expect(describeProblem(hub)).toEqual({ kind: 'other', message: 'Forbidden' });
    const missing = await answer(401, { message: 'No token in memory', code: 'token_missing' });
    expect(describeProblem(missing).kind).toBe('other');
    const rejected = await answer(403, { message: 'rejected', code: 'token_rejected' });
    expect(describeProblem(rejected).kind).toBe('token');
  });
});
