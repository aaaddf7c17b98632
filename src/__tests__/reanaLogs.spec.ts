import { ReanaApi } from '../reana/api';
import { LogBuffer } from '../reana/LogBuffer';
import {
  expandTabs,
  shownLineCount,
  visibleWindow,
  wrapLine,
  wrapRows
} from '../reana/components/LogView';
import { WorkflowModel } from '../reana/WorkflowModel';
import { FakeServer } from './fakeServer';

const BASE = '/lab-base/reana-openbis-lab/reana/connections/sandbox/workflows/run.1';

function piece(text: string, offset: number, reset = false) {
  return { text, offset, reset };
}

describe('LogBuffer', () => {
  it('joins a line that arrives in two pieces', () => {
    const log = new LogBuffer();
    log.apply(piece('first line\nsec', 0));
    log.apply(piece('ond line\nthird', 14));
    expect(log.lines).toEqual(['first line', 'second line', 'third']);
    expect(log.length).toBe(28);
  });

  it('starts over when the server says the log was reset', () => {
    const log = new LogBuffer();
    log.apply(piece('a\nb\n', 0));
    log.apply(piece('new\n', 0, true));
    expect(log.text).toBe('new\n');
  });

  it('ignores a piece it already has', () => {
    const log = new LogBuffer();
    log.apply(piece('abc', 0));
    expect(log.apply(piece('bc', 1))).toBe(false);
    expect(log.text).toBe('abc');
  });

  it('holds 100,000 lines and renders only a window of them', () => {
    const log = new LogBuffer();
    log.apply(piece(Array.from({ length: 100000 }, (_, i) => `line ${i}`).join('\n'), 0));
    expect(log.lines).toHaveLength(100000);
    const [first, last] = visibleWindow(50000 * 18, 540, log.lines.length);
    expect(last - first).toBeLessThan(100);
    expect(log.lines[first]).toBe(`line ${first}`);
  });
});

describe('shownLineCount', () => {
  it('leaves out the empty line after a final newline', () => {
    expect(shownLineCount(['one', 'two', ''])).toBe(2);
    expect(shownLineCount(['one', '', 'two'])).toBe(3);
  });

  it('counts a log of blank lines as empty, as REANA answers "\\n" for a silent engine', () => {
    const buffer = new LogBuffer();
    buffer.apply(piece('\n', 0));
    expect(shownLineCount(buffer.lines)).toBe(0);
    expect(shownLineCount([''])).toBe(0);
  });
});

describe('log wrapping', () => {
  it('wraps after the last space that fits, inside a word only when it must', () => {
    expect(wrapLine('python analyse.py --title demo-failed', 20)).toEqual([
      'python analyse.py ',
      '--title demo-failed'
    ]);
    expect(wrapLine('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
    expect(wrapLine('short', 10)).toEqual(['short']);
    // A space right after the last column ends the row, which stays within the columns.
    expect(wrapLine('Error: exited with code 1', 18)).toEqual(['Error: exited with', 'code 1']);
  });

  it('counts the rows of every line, tabs as stops of 8', () => {
    expect(expandTabs('a\tb')).toBe('a       b');
    const starts = wrapRows(['one', 'x'.repeat(25), '', 'two'], 4, 10);
    expect(Array.from(starts)).toEqual([0, 1, 4, 5, 6]);
  });
});

describe('WorkflowModel', () => {
  function detail(status: string) {
    return { status: 200, body: { id: 'id-1', name: 'run.1', status } };
  }

  function logs(text: string, offset: number, cursor: string, jobText = '') {
    return {
      status: 200,
      body: {
        workflow: piece(text, offset),
        engine: piece('', 0),
        jobs: jobText
          ? [
              {
                id: 'j1',
                name: 'greet',
                status: 'running',
                command: 'echo hi',
                ...piece(jobText, 0)
              }
            ]
          : [],
        cursor
      }
    };
  }

  type Tickable = { _tick(): Promise<void> };

  it('follows a running run with the cursor and stops when it ends', async () => {
    const server = new FakeServer()
      .on(BASE, detail('running'))
      .on(`${BASE}/logs`, logs('started\n', 0, 'c1', 'hi\n'));
    const model = new WorkflowModel({
      api: new ReanaApi(server.settings),
      connection: 'sandbox',
      workflow: 'run.1',
      auto: false
    });
    await (model as unknown as Tickable)._tick();
    expect(model.following).toBe(true);
    expect(model.workflowLog.lines).toEqual(['started', '']);
    expect(model.jobs[0].meta.name).toBe('greet');
    expect(model.jobs[0].log.text).toBe('hi\n');

    // The next tick sends the cursor and gets only the new text; the run finished
    server.on(BASE, detail('finished')).on(`${BASE}/logs`, logs('finished\n', 8, 'c2'));
    await (model as unknown as Tickable)._tick();
    const lastLogs = server.requests.filter(r => r.url.includes('/logs')).pop()!;
    expect(new URL(lastLogs.url).searchParams.get('cursor')).toBe('c1');
    expect(model.workflowLog.text).toBe('started\nfinished\n');
    expect(model.following).toBe(false);
    model.dispose();
  });

  it('says so when the run was deleted and stops following', async () => {
    const server = new FakeServer()
      .on(BASE, { status: 404, body: { message: 'No such workflow' } })
      .on(`${BASE}/logs`, logs('', 0, ''));
    const model = new WorkflowModel({
      api: new ReanaApi(server.settings),
      connection: 'sandbox',
      workflow: 'run.1',
      auto: false
    });
    await expect((model as unknown as Tickable)._tick()).rejects.toBeTruthy();
    expect(model.problem?.kind).toBe('not-found');
    expect(model.following).toBe(false);
    model.dispose();
  });
});
