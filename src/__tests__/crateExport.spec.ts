import { nullTranslator } from '@jupyterlab/translation';

import { askConflict } from '../components/conflicts';
import { loadTranslation } from '../components/translation';
import { exportCrate } from '../provenance/actions';
import { ProvenanceApi } from '../provenance/api';
import { FakeServer } from './fakeServer';

jest.mock('../components/conflicts', () => ({ askConflict: jest.fn() }));
const ask = askConflict as jest.MockedFunction<typeof askConflict>;

const CRATE = '/lab-base/reana-openbis-lab/provenance/crate';
const trans = loadTranslation(nullTranslator);

/** A server whose first export finds the name taken, and writes the second. */
function serverWithAnEarlierCrate(): FakeServer {
  let calls = 0;
  return new FakeServer().on(CRATE, () =>
    ++calls === 1
      ? {
          status: 409,
          body: {
            message: "'hello.3-ro-crate.zip' exists already in that folder",
            field: 'destination',
            code: 'target_exists'
          }
        }
      : { status: 201, body: { path: 'hello.3-ro-crate (1).zip', format: 'zip' } }
  );
}

describe('RO-Crate export into a folder that has one', () => {
  beforeEach(() => ask.mockReset());

  it('asks in place, and keeps both when the user says so', async () => {
    const server = serverWithAnEarlierCrate();
    ask.mockResolvedValue('keep-both');

    await exportCrate(
      new ProvenanceApi(server.settings),
      { source: 'run', connection: 'cern', workflow: 'w1' },
      trans,
      null
    );

    expect(ask).toHaveBeenCalledWith(
      trans,
      expect.objectContaining({ message: expect.stringContaining('exists already') })
    );
    expect(server.requests).toHaveLength(2);
    expect(await server.requests[1].clone().json()).toMatchObject({
      source: 'run',
      workflow: 'w1',
      keepBoth: true
    });
  });

  it('replaces on request, and writes nothing when the user cancels', async () => {
    const replaced = serverWithAnEarlierCrate();
    ask.mockResolvedValue('replace');
    await exportCrate(
      new ProvenanceApi(replaced.settings),
      { source: 'run', connection: 'cern', workflow: 'w1' },
      trans,
      null
    );
    expect(await replaced.requests[1].clone().json()).toMatchObject({ overwrite: true });

    const cancelled = serverWithAnEarlierCrate();
    ask.mockResolvedValue('cancel');
    await exportCrate(
      new ProvenanceApi(cancelled.settings),
      { source: 'run', connection: 'cern', workflow: 'w1' },
      trans,
      null
    );
    expect(cancelled.requests).toHaveLength(1);
  });
});
