import { ISearchPage, SearchListModel } from '../models/SearchListModel';

/** A fetch whose answers the test releases by hand, in any order. */
function controlledFetch() {
  const asked: { query: string; answer: (page: ISearchPage<string>) => void }[] = [];
  const fetch = (query: string) =>
    new Promise<ISearchPage<string>>(resolve => asked.push({ query, answer: resolve }));
  return { asked, fetch };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 30));

describe('SearchListModel', () => {
  it('asks once typing pauses and highlights the first match', async () => {
    const { asked, fetch } = controlledFetch();
    const model = new SearchListModel(fetch, 5);
    model.query = 'r';
    model.query = 'ra';
    model.query = 'raw ';
    expect(model.loading).toBe(true);
    await settle();
    expect(asked.map(a => a.query)).toEqual(['raw']);
    asked[0].answer({ items: ['a', 'b', 'c'], total: 12 });
    await settle();
    expect(model.loading).toBe(false);
    expect(model.results).toEqual(['a', 'b', 'c']);
    expect(model.total).toBe(12);
    expect(model.active).toBe(0);
    model.move(-1);
    expect(model.active).toBe(2);
    model.move(1);
    expect(model.active).toBe(0);
    model.dispose();
  });

  it('drops the answer of an older text or context', async () => {
    const { asked, fetch } = controlledFetch();
    const model = new SearchListModel(fetch, 5);
    model.query = 'old';
    await settle();
    model.refresh(); // e.g. another connection: the same text is asked again
    await settle();
    expect(asked.map(a => a.query)).toEqual(['old', 'old']);
    asked[1].answer({ items: ['new'], total: 1 });
    asked[0].answer({ items: ['stale'], total: 1 });
    await settle();
    expect(model.results).toEqual(['new']);
    model.dispose();
  });

  it('says why a search failed and clears with the text', async () => {
    const model = new SearchListModel<string>(
      () => Promise.reject(new Error('openBIS is down')),
      5
    );
    model.query = 'x';
    await settle();
    await settle();
    expect(model.problem).toBe('openBIS is down');
    expect(model.loading).toBe(false);
    model.clear();
    expect(model.problem).toBeNull();
    expect(model.results).toEqual([]);
    expect(model.loading).toBe(false);
    model.dispose();
  });
});
