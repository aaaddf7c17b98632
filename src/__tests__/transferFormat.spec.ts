import { nullTranslator } from '@jupyterlab/translation';

import { formatBytes } from '../components/format';
import { loadTranslation } from '../components/translation';
import {
  describeJob,
  fractionDone,
  jobLabel,
  progressText,
  stateLabel
} from '../components/transfers/format';
import { IJob } from '../tokens';

const trans = loadTranslation(nullTranslator);

const RUNNING: IJob = {
  id: 'j1',
  kind: 'openbis-download',
  title: 'Download 20240101-1',
  state: 'running',
  step: 'downloading',
  bytesDone: 48_200_000,
  bytesTotal: 125_829_120,
  filesDone: 0,
  filesTotal: 1,
  speed: 12_400_000
};

describe('transfer formatting', () => {
  it('writes sizes 1024-based as the file browser does, labelled with binary prefixes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(2837)).toBe('2.8 KiB');
    expect(formatBytes(125_829_120)).toBe('120 MiB');
    // REANA's own human-readable size of the same file says "2.2 GiB" too.
    expect(formatBytes(2_362_232_012)).toBe('2.2 GiB');
    // Rounding never shows "1024 KiB".
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
    expect(formatBytes(null)).toBe('');
    expect(formatBytes(-1)).toBe('');
    expect(formatBytes(Number.NaN)).toBe('');
  });

  it('says what moved, of how much, and how fast', () => {
    expect(progressText(RUNNING, trans)).toBe('46 MiB of 120 MiB · 0 of 1 file · 11.8 MiB/s');
    expect(progressText({ ...RUNNING, state: 'done', speed: 1 }, trans)).toBe(
      '46 MiB of 120 MiB · 0 of 1 file'
    );
    expect(progressText({ ...RUNNING, filesDone: 1, filesTotal: 3, speed: null }, trans)).toBe(
      '46 MiB of 120 MiB · 1 of 3 files'
    );
    expect(progressText({ id: 'r', kind: 'reana-run', title: 'Run', state: 'queued' }, trans)).toBe(
      ''
    );
  });

  it('gives a fraction only when a total is known', () => {
    expect(fractionDone(RUNNING)).toBeCloseTo(0.383, 3);
    expect(fractionDone({ ...RUNNING, bytesTotal: null, filesDone: 1, filesTotal: 4 })).toBe(0.25);
    expect(fractionDone({ id: 'r', kind: 'reana-run', title: 'Run', state: 'running' })).toBeNull();
    expect(fractionDone({ ...RUNNING, state: 'done' })).toBe(1);
  });

  it('names the state, with the step while it runs', () => {
    expect(stateLabel(RUNNING, trans)).toBe('Running (downloading)');
    expect(stateLabel({ ...RUNNING, step: 'running' }, trans)).toBe('Running');
    expect(stateLabel({ ...RUNNING, state: 'cancelled' }, trans)).toBe('Cancelled');
  });

  it('names openBIS data by type and name, the permId second', () => {
    const download = {
      ...RUNNING,
      details: { permId: '20240101-1', datasetType: 'RAW_DATA', name: 'Raw measurement 3' }
    };
    expect(describeJob(download, trans)).toEqual({
      title: 'Download RAW_DATA · Raw measurement 3',
      subtitle: '20240101-1'
    });
    const upload: IJob = {
      id: 'u1',
      kind: 'openbis-upload',
      title: 'Upload to /LAB/S1',
      state: 'done',
      details: { datasetType: 'RAW_DATA', target: '/LAB/S1' },
      result: { permId: '20261129-42' }
    };
    expect(describeJob(upload, trans)).toEqual({
      title: 'Upload RAW_DATA to /LAB/S1',
      subtitle: '20261129-42'
    });
    expect(describeJob(RUNNING, trans)).toEqual({ title: RUNNING.title, subtitle: null });
    expect(jobLabel(download, trans)).toBe('Download RAW_DATA · Raw measurement 3, 20240101-1');
  });

  it('names REANA transfers by the run, not its id, with true plurals', () => {
    const download: IJob = {
      id: 'd1',
      kind: 'reana-download',
      title: 'Download 1 file from hello.3',
      state: 'done',
      filesTotal: 1,
      details: { workflow: 'f107ac4e-0000-4000-8000-000000000000', run: 'hello.3' }
    };
    expect(jobLabel(download, trans)).toBe('Download 1 file from hello.3');
    expect(jobLabel({ ...download, filesTotal: 2 }, trans)).toBe('Download 2 files from hello.3');
    const upload: IJob = {
      ...download,
      kind: 'reana-upload',
      filesTotal: null,
      details: { run: 'hello.3', files: 3 }
    };
    expect(jobLabel(upload, trans)).toBe('Upload 3 files to hello.3');
  });

  it('shows the hidden characters of names and titles', () => {
    const hostile: IJob = {
      ...RUNNING,
      title: 'Download \u202eevil\u202c.txt',
      details: { permId: '20240101-1', datasetType: 'RAW_DATA', name: '\u202eevil' }
    };
    expect(jobLabel(hostile, trans)).toBe('Download RAW_DATA · ⟨U+202E⟩evil, 20240101-1');
    expect(describeJob({ ...hostile, details: {} }, trans).title).toBe(
      'Download ⟨U+202E⟩evil⟨U+202C⟩.txt'
    );
  });
});
