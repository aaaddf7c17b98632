import { entriesMatching, PublishFiles } from '../provenance/PublishFiles';

describe('PublishFiles', () => {
  it('starts with the declared outputs ticked; unticked ones leave the request', () => {
    const files = new PublishFiles(['results/plot.png', 'tables'], () =>
      Promise.resolve({ items: [], total: 0 })
    );
    expect(files.chosen).toEqual(['results/plot.png', 'tables']);
    files.toggle('tables', false);
    expect(files.chosen).toEqual(['results/plot.png']);
    expect(files.entries.map(e => e.path)).toEqual(['results/plot.png', 'tables']);
    files.dispose();
  });

  it('adds a workspace folder once, without its slash in the request', () => {
    const files = new PublishFiles(['tables'], () => Promise.resolve({ items: [], total: 0 }));
    files.toggle('tables', false);
    files.add('tables/');
    files.add('logs/');
    files.add('logs');
    expect(files.entries.map(e => e.path)).toEqual(['tables', 'logs/']);
    expect(files.chosen).toEqual(['tables', 'logs']);
    files.dispose();
  });

  it('offers the folders above matching files, and never provenance/', () => {
    const found = entriesMatching(
      [
        { name: 'results/run1/count.txt', size: 3 },
        { name: 'results/run2/count.txt', size: 4 },
        { name: 'provenance/run.json', size: 10 }
      ],
      'RUN'
    );
    expect(found).toEqual([
      { path: 'results/run1/' },
      { path: 'results/run2/' },
      { path: 'results/run1/count.txt', size: 3 },
      { path: 'results/run2/count.txt', size: 4 }
    ]);
  });
});
