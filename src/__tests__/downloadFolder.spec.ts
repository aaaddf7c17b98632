import { ContentsManager } from '@jupyterlab/services';

import {
  datasetFolderName,
  datasetFolderPath,
  ensureFolder,
  removeIfEmpty
} from '../openbis/download';
import { FakeServer } from './fakeServer';

const FOLDER = '/lab-base/api/contents/notes/20240102010000000-15';
const DIRECTORY = {
  name: '20240102010000000-15',
  path: 'notes/20240102010000000-15',
  type: 'directory',
  created: '2024-01-02T00:00:00Z',
  last_modified: '2024-01-02T00:00:00Z',
  writable: true,
  mimetype: null,
  format: 'json',
  content: null
};

describe('the folder a dataset is downloaded into', () => {
  it('is named after the permId, inside the chosen folder', () => {
    expect(datasetFolderPath('notes', '20240102010000000-15')).toBe('notes/20240102010000000-15');
    expect(datasetFolderPath('/notes/', '20240102010000000-15')).toBe('notes/20240102010000000-15');
    expect(datasetFolderPath('', '20240102010000000-15')).toBe('20240102010000000-15');
  });

  it('has a safe, visible name whatever the permId holds', () => {
    expect(datasetFolderName('../a b/c')).toBe('_._a_b_c');
    expect(datasetFolderName('.hidden')).toBe('_hidden');
    expect(datasetFolderName('  ')).toBe('_');
  });

  it('is made when missing, and said to be made', async () => {
    const server = new FakeServer().on(FOLDER, request =>
      request.method === 'PUT' ? { status: 201, body: DIRECTORY } : { status: 404 }
    );

    const created = await ensureFolder(
      new ContentsManager({ serverSettings: server.settings }),
      'notes/20240102010000000-15'
    );

    expect(created).toBe(true);
    const put = server.requests.find(r => r.method === 'PUT');
    expect(await put?.clone().json()).toMatchObject({ type: 'directory' });
  });

  it('is kept as it is when there already', async () => {
    const server = new FakeServer().on(FOLDER, { status: 200, body: DIRECTORY });

    const created = await ensureFolder(
      new ContentsManager({ serverSettings: server.settings }),
      'notes/20240102010000000-15'
    );

    expect(created).toBe(false);
    expect(server.requests.map(r => r.method)).toEqual(['GET']);
  });

  it('is removed again only while empty', async () => {
    const empty = new FakeServer().on(FOLDER, request =>
      request.method === 'DELETE'
        ? { status: 204 }
        : { status: 200, body: { ...DIRECTORY, content: [] } }
    );
    const full = new FakeServer().on(FOLDER, {
      status: 200,
      body: { ...DIRECTORY, content: [{ ...DIRECTORY, name: 'README.txt', type: 'file' }] }
    });

    await removeIfEmpty(
      new ContentsManager({ serverSettings: empty.settings }),
      'notes/20240102010000000-15'
    );
    await removeIfEmpty(
      new ContentsManager({ serverSettings: full.settings }),
      'notes/20240102010000000-15'
    );

    expect(empty.requests.map(r => r.method)).toEqual(['GET', 'DELETE']);
    expect(full.requests.map(r => r.method)).toEqual(['GET']);
  });
});
