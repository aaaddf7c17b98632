import { BrowserModel, SEARCH_DELAY_MS, TreeRow } from '../openbis/BrowserModel';
import { OpenbisClient } from '../openbis/client';
import { FakeAnswer, FakeServer } from './fakeServer';

const BASE = '/lab-base/reana-openbis-lab/openbis/connections/lab';

/** A level of `total` entities answered page by page from the request's `start`/`count`. */
function pagedLevel(total: number, make: (index: number) => object) {
  return (request: Request): FakeAnswer => {
    const query = new URL(request.url).searchParams;
    const start = Number(query.get('start'));
    const count = Number(query.get('count'));
    const items = [];
    for (let i = start; i < Math.min(total, start + count); i++) {
      items.push(make(i));
    }
    return { status: 200, body: { items, total, start, count } };
  };
}

function sandbox(): FakeServer {
  return new FakeServer()
    .on(
      `${BASE}/spaces`,
      pagedLevel(2, i => ({ code: ['LAB_A', 'LAB_B'][i] }))
    )
    .on(
      `${BASE}/projects`,
      pagedLevel(1, () => ({ code: 'MICROSCOPY', identifier: '/LAB_A/MICROSCOPY' }))
    )
    .on(
      `${BASE}/collections`,
      pagedLevel(1, () => ({
        code: 'MANY',
        identifier: '/LAB_A/MICROSCOPY/MANY',
        permId: 'C1',
        type: 'COLLECTION'
      }))
    )
    .on(
      `${BASE}/objects`,
      pagedLevel(1, () => ({ code: 'CULTURE_1', identifier: '/LAB_A/CULTURE_1', permId: 'S1' }))
    )
    .on(
      `${BASE}/datasets`,
      pagedLevel(10_000, i => ({
        permId: `D-${i}`,
        code: `D-${i}`,
        type: 'RAW_DATA',
        name: `Bench ${i}`,
        status: i === 1 ? 'ARCHIVED' : 'AVAILABLE'
      }))
    );
}

function modelFor(server: FakeServer, pageSize = 50): BrowserModel {
  const model = new BrowserModel({ client: new OpenbisClient(server.settings), pageSize });
  return model;
}

function nodeRows(model: BrowserModel): Extract<TreeRow, { type: 'node' }>[] {
  return model.rows.filter((r): r is Extract<TreeRow, { type: 'node' }> => r.type === 'node');
}

function queries(server: FakeServer, level: string): URLSearchParams[] {
  return server.requests
    .map(r => new URL(r.url))
    .filter(url => url.pathname === `${BASE}/${level}`)
    .map(url => url.searchParams);
}

/** Open the path down to the big collection. */
async function openCollection(model: BrowserModel): Promise<void> {
  await model.expand('/space:LAB_A');
  await model.expand('/space:LAB_A/project:/LAB_A/MICROSCOPY');
  await model.expand('/space:LAB_A/project:/LAB_A/MICROSCOPY/collection:C1');
}

describe('BrowserModel', () => {
  it('shows the spaces of the connection, one level, without a cache-busting parameter', async () => {
    const server = sandbox();
    const model = modelFor(server);

    model.connection = 'lab';
    await model.refresh();

    expect(nodeRows(model).map(r => r.node.entity.code)).toEqual(['LAB_A', 'LAB_B']);
    expect(nodeRows(model)[0]).toMatchObject({
      expandable: true,
      expanded: false,
      posInSet: 1,
      setSize: 2
    });
    const [query] = queries(server, 'spaces');
    expect([...query.keys()].sort()).toEqual(['count', 'start']);
  });

  it('loads a level only when its parent opens, filtered by the parent', async () => {
    const server = sandbox();
    const model = modelFor(server);
    model.connection = 'lab';
    await model.refresh();
    expect(queries(server, 'projects')).toHaveLength(0);

    await model.expand('/space:LAB_A');

    expect(queries(server, 'projects')[0].get('space')).toBe('LAB_A');
    const codes = nodeRows(model).map(r => `${r.node.depth}:${r.node.entity.code}`);
    expect(codes).toEqual(['1:LAB_A', '2:MICROSCOPY', '1:LAB_B']);
  });

  it('lists objects then datasets under a collection, one page of a huge level only', async () => {
    const server = sandbox();
    const model = modelFor(server, 100);
    model.connection = 'lab';
    await model.refresh();

    await openCollection(model);

    expect(queries(server, 'objects')[0].get('collection')).toBe('/LAB_A/MICROSCOPY/MANY');
    expect(queries(server, 'datasets')[0].get('count')).toBe('100');
    const datasets = nodeRows(model).filter(r => r.node.kind === 'dataset');
    expect(datasets).toHaveLength(100);
    expect(datasets[0]).toMatchObject({ posInSet: 2, setSize: 10_001, expandable: false });
    expect(model.rows.filter(r => r.type === 'more')).toEqual([
      expect.objectContaining({ level: 'datasets', loaded: 100, total: 10_000 })
    ]);
  });

  it('appends the next page on "Load more"', async () => {
    const server = sandbox();
    const model = modelFor(server, 100);
    model.connection = 'lab';
    await model.refresh();
    await openCollection(model);
    const collection = '/space:LAB_A/project:/LAB_A/MICROSCOPY/collection:C1';

    await model.loadMore(collection, 'datasets');

    expect(queries(server, 'datasets')[1].get('start')).toBe('100');
    const datasets = nodeRows(model).filter(r => r.node.kind === 'dataset');
    expect(datasets.map(r => r.node.entity.code).slice(98, 102)).toEqual([
      'D-98',
      'D-99',
      'D-100',
      'D-101'
    ]);
    expect(model.rows.find(r => r.type === 'more')).toMatchObject({ loaded: 200 });
  });

  it('asks for the children of an object by its permId', async () => {
    const server = sandbox();
    const model = modelFor(server);
    model.connection = 'lab';
    await model.refresh();
    await openCollection(model);

    await model.expand('/space:LAB_A/project:/LAB_A/MICROSCOPY/collection:C1/object:S1');

    expect(queries(server, 'datasets')[1].get('object')).toBe('S1');
  });

  it('keeps open levels open across a refresh', async () => {
    const server = sandbox();
    const model = modelFor(server);
    model.connection = 'lab';
    await model.refresh();
    await model.expand('/space:LAB_A');

    await model.refresh();
    // The re-opened levels load after their parents: wait for the last answer.
    await new Promise(resolve => setTimeout(resolve, 0));

    expect(queries(server, 'projects')).toHaveLength(2);
    expect(nodeRows(model).map(r => r.node.entity.code)).toContain('MICROSCOPY');
  });

  it('says when the session ended so the view can offer "Log in again"', async () => {
    const server = sandbox().on(`${BASE}/spaces`, {
      status: 401,
      body: { message: 'Log in to openBIS lab again', code: 'login_required' }
    });
    const model = modelFor(server);
    model.connection = 'lab';

    await model.refresh();

    expect(model.rows).toEqual([
      expect.objectContaining({
        type: 'status',
        state: 'error',
        problem: {
          kind: 'login-required',
          code: 'login_required',
          message: 'Log in to openBIS lab again'
        }
      })
    ]);
  });

  it('drops the answer of a connection the user already left', async () => {
    const server = sandbox();
    const model = modelFor(server);
    const release = server.holdNext(`${BASE}/spaces`);
    model.connection = 'lab';
    const first = model.refresh();

    model.connection = null;
    release();
    await first;

    expect(model.rows).toEqual([]);
  });

  it('shows the path of the selected node', async () => {
    const model = modelFor(sandbox());
    model.connection = 'lab';
    await model.refresh();
    await model.expand('/space:LAB_A');

    model.select('/space:LAB_A/project:/LAB_A/MICROSCOPY');

    expect(model.pathOf(model.selected!).map(n => n.entity.code)).toEqual(['LAB_A', 'MICROSCOPY']);
  });

  describe('search', () => {
    it('asks the server once typing pauses, and pages the results', async () => {
      const server = sandbox();
      const model = modelFor(server, 20);
      model.connection = 'lab';

      model.setSearch('Ben');
      model.setSearch('Bench');
      expect(model.search).toMatchObject({ query: 'Bench', loading: true, total: null });
      await new Promise(resolve => setTimeout(resolve, SEARCH_DELAY_MS + 100));

      const searches = queries(server, 'datasets').filter(q => q.has('search'));
      expect(searches.map(q => q.get('search'))).toEqual(['Bench']);
      expect(model.search).toMatchObject({ total: 10_000, loading: false });
      expect(model.search.items).toHaveLength(20);

      await model.loadMoreResults();
      expect(model.search.items).toHaveLength(40);
    });

    it('goes back to the tree at once when the text is cleared', () => {
      const model = modelFor(sandbox());
      model.connection = 'lab';
      model.setSearch('Bench');

      model.setSearch('   ');

      expect(model.search).toMatchObject({ query: '', loading: false });
    });
  });
});
