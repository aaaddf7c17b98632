import { ReanaApi } from '../reana/api';
import { nextInterval } from '../reana/PolledModel';
import { WorkflowListModel } from '../reana/WorkflowListModel';
import { FakeServer } from './fakeServer';

const LIST_PATH = '/lab-base/reana-openbis-lab/reana/connections/sandbox/workflows';
const INTERVALS = { active: 1000, idle: 30000, max: 8000 };

function run(name: string, status: string) {
  return { id: `id-${name}`, name, status, created: '2026-01-05T08:00:00' };
}

function page(items: object[], total = items.length, pageNumber = 1) {
  return { status: 200, body: { items, total, page: pageNumber, size: 20 } };
}

function listModel(server: FakeServer, isVisible = () => true) {
  return new WorkflowListModel({
    api: new ReanaApi(server.settings),
    connection: 'sandbox',
    intervals: INTERVALS,
    isVisible,
    auto: false
  });
}

describe('nextInterval', () => {
  it('goes back to the active interval when the page changed', () => {
    expect(nextInterval(8000, true, true, INTERVALS)).toBe(1000);
  });

  it('doubles while an active page stays the same, up to the maximum', () => {
    expect(nextInterval(1000, false, true, INTERVALS)).toBe(2000);
    expect(nextInterval(2000, false, true, INTERVALS)).toBe(4000);
    expect(nextInterval(4000, false, true, INTERVALS)).toBe(8000);
    expect(nextInterval(8000, false, true, INTERVALS)).toBe(8000);
  });

  it('waits the idle interval when nothing listed is active', () => {
    expect(nextInterval(1000, true, false, INTERVALS)).toBe(30000);
  });
});

describe('WorkflowListModel', () => {
  it('asks REANA for one page with the search, statuses and sort', async () => {
    // Given a REANA with 5,000 runs
    const server = new FakeServer().on(LIST_PATH, page([run('a.1', 'finished')], 5000));
    const model = listModel(server);

    // When the user searches, filters two statuses and goes to page 3
    model.setQuery({ search: 'ana', statuses: ['running', 'failed'], sort: 'asc' });
    model.setQuery({ page: 3 });
    await model.refresh();

    // Then only that page was asked for, with every criterion, and the total is known
    const url = new URL(server.requests[server.requests.length - 1].url);
    expect(url.searchParams.get('page')).toBe('3');
    expect(url.searchParams.get('size')).toBe('20');
    expect(url.searchParams.get('search')).toBe('ana');
    expect(url.searchParams.get('status')).toBe('running,failed');
    expect(url.searchParams.get('sort')).toBe('asc');
    expect(model.state.status).toBe('ready');
    expect(model.state.status === 'ready' && model.state.page.total).toBe(5000);
    model.dispose();
  });

  it('goes back to page 1 when the search changes', async () => {
    const server = new FakeServer().on(LIST_PATH, page([]));
    const model = listModel(server);
    model.setQuery({ page: 4 });
    model.setQuery({ search: 'x' });
    expect(model.query.page).toBe(1);
    await model.refresh();
    model.dispose();
  });

  it('backs off while an active run does not change and resets when it does', async () => {
    const server = new FakeServer().on(LIST_PATH, page([run('a.1', 'running')]));
    const model = listModel(server);
    await model.refresh();
    expect(model.interval).toBe(1000);
    // Two more answers, the same: the delay doubles each time
    await (model as unknown as { _tick(): Promise<void> })._tick();
    expect(model.interval).toBe(2000);
    await (model as unknown as { _tick(): Promise<void> })._tick();
    expect(model.interval).toBe(4000);
    // The run finished: nothing active, the idle interval
    server.on(LIST_PATH, page([run('a.1', 'finished')]));
    await (model as unknown as { _tick(): Promise<void> })._tick();
    expect(model.interval).toBe(30000);
    model.dispose();
  });

  it('keeps the last page and says why when REANA refuses the token', async () => {
    const server = new FakeServer().on(LIST_PATH, page([run('a.1', 'finished')]));
    const model = listModel(server);
    await model.refresh();
    server.on(LIST_PATH, {
      status: 403,
      body: { message: 'REANA rejected the access token', code: 'token_rejected' }
    });
    await model.refresh();
    expect(model.state.status).toBe('failed');
    if (model.state.status === 'failed') {
      expect(model.state.problem.kind).toBe('token');
      expect(model.state.page?.items[0].name).toBe('a.1');
    }
    model.dispose();
  });

  it('does not ask REANA while the list is hidden', async () => {
    jest.useFakeTimers();
    const server = new FakeServer().on(LIST_PATH, page([run('a.1', 'running')]));
    let visible = false;
    const model = new WorkflowListModel({
      api: new ReanaApi(server.settings),
      connection: 'sandbox',
      intervals: INTERVALS,
      isVisible: () => visible
    });
    await jest.advanceTimersByTimeAsync(5000);
    expect(server.requests).toHaveLength(0);
    // Shown again: the next tick asks
    visible = true;
    await jest.advanceTimersByTimeAsync(3000);
    expect(server.requests.length).toBeGreaterThan(0);
    model.dispose();
    jest.useRealTimers();
  });

  it('lets only the latest answer write when an older one arrives last', async () => {
    const server = new FakeServer().on(LIST_PATH, page([run('old.1', 'finished')]));
    const model = listModel(server);
    const release = server.holdNext(LIST_PATH);
    const older = (model as unknown as { _tick(): Promise<void> })._tick();
    server.on(LIST_PATH, page([run('new.1', 'finished')]));
    await (model as unknown as { _tick(): Promise<void> })._tick();
    release();
    await older;
    expect(model.state.status === 'ready' && model.state.page.items[0].name).toBe('new.1');
    model.dispose();
  });

  it('marks the shown page as the previous answer until REANA answers a new filter', async () => {
    // Given a listed page
    const server = new FakeServer().on(LIST_PATH, page([run('done.1', 'finished')], 31));
    const model = listModel(server);
    await model.refresh();
    expect(model.stale).toBe(false);
    model.setQuery({ page: 2 });
    await model.refresh();
    // When the user filters and REANA takes its time to answer
    const release = server.holdNext(LIST_PATH);
    server.on(LIST_PATH, page([run('bad.1', 'failed')], 1));
    const filtering = (async () => {
      model.setQuery({ statuses: ['failed'] });
      await model.refresh();
    })();
    // Then the runs still shown are marked as the previous query's, with its page numbers
    expect(model.stale).toBe(true);
    expect(model.shownQuery?.page).toBe(2);
    expect(model.shownQuery?.statuses).toEqual([]);
    // And once REANA answers, the page is the filter's
    release();
    await filtering;
    expect(model.stale).toBe(false);
    expect(model.state.status === 'ready' && model.state.page.items[0].name).toBe('bad.1');
    model.dispose();
  });

  it('asks again for a query changed while the previous answer is still out', async () => {
    // Given a list whose filter change REANA is slow to answer
    const server = new FakeServer().on(LIST_PATH, page([run('bad.1', 'failed')], 1));
    const model = listModel(server);
    await model.refresh();
    const release = server.holdNext(LIST_PATH);
    const asked = server.requests.length;
    model.setQuery({ statuses: ['failed'] });
    const filtering = model.refresh();
    while (server.requests.length === asked) {
      await new Promise(resolve => setTimeout(resolve, 1));
    }
    // When the user types a search before that answer came
    server.on(LIST_PATH, page([run('demo-a.1', 'finished')], 1));
    model.setQuery({ search: 'demo-' });
    const searching = model.refresh();
    release();
    await Promise.all([filtering, searching]);
    // Then REANA was asked for the search too, and the list shows its answer
    const last = new URL(server.requests[server.requests.length - 1].url);
    expect(last.searchParams.get('search')).toBe('demo-');
    expect(model.stale).toBe(false);
    expect(model.state.status === 'ready' && model.state.page.items[0].name).toBe('demo-a.1');
    model.dispose();
  });
});
