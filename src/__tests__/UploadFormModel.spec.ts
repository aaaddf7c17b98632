import { nullTranslator } from '@jupyterlab/translation';

import { PublishFiles } from '../provenance/PublishFiles';
import { convertValue, fieldsOf, IDatasetType } from '../upload/fields';
import { UploadFormModel } from '../upload/UploadFormModel';
import { IOpenbisConnection } from '../tokens';
import { FakeServer } from './fakeServer';

const BASE = '/lab-base/reana-openbis-lab';
const TYPES_PATH = `${BASE}/openbis/connections/lab/types/datasets`;

const RAW_DATA: IDatasetType = {
  code: 'RAW_DATA',
  description: 'Data as the instrument wrote it',
  properties: [
    { code: '$NAME', label: 'Name', dataType: 'VARCHAR', mandatory: false, description: 'Name' },
    {
      code: 'DEVICE',
      label: 'Device',
      dataType: 'CONTROLLEDVOCABULARY',
      mandatory: true,
      vocabulary: 'MEASUREMENT_DEVICE',
      terms: [
        { code: 'MICROSCOPE', label: 'Microscope' },
        { code: 'SEQUENCER', label: 'Sequencer' }
      ]
    },
    { code: 'MEASURED_ON', label: 'Measured on', dataType: 'TIMESTAMP', mandatory: false },
    { code: 'START_DATE', label: 'Start date', dataType: 'DATE', mandatory: false },
    { code: 'SAMPLE_COUNT', label: 'Samples', dataType: 'INTEGER', mandatory: false },
    { code: 'TEMPERATURE', label: 'Temperature', dataType: 'REAL', mandatory: false },
    { code: 'IS_CALIBRATED', label: 'Calibrated', dataType: 'BOOLEAN', mandatory: true },
    { code: 'NOTES', label: 'Notes', dataType: 'MULTILINE_VARCHAR', mandatory: false },
    { code: 'SPEC', label: 'Spec', dataType: 'XML', mandatory: false }
  ]
};

const LAB: IOpenbisConnection = {
  name: 'lab',
  url: 'https://openbis.example.org',
  verifyCertificates: true,
  insecureHttp: false,
  username: 'alice',
  auth: 'password',
  preset: true,
  hasSecret: true,
  status: 'connected',
  loggedInAs: 'alice'
};

function serverWithTypes(): FakeServer {
  return new FakeServer()
    .on(TYPES_PATH, { status: 200, body: { kind: 'datasets', types: [RAW_DATA] } })
    .on(`${BASE}/openbis/manifest`, {
      status: 200,
      body: {
        path: 'results',
        datasets: [
          {
            connection: 'lab',
            url: 'https://openbis.example.org',
            permId: '20240101-7',
            type: 'RAW_DATA',
            files: ['data/a.csv'],
            downloaded: '2026-11-29T10:00:00Z'
          },
          {
            connection: 'other',
            url: 'https://elsewhere.example.org',
            permId: '20240101-8',
            files: ['b.csv'],
            downloaded: '2026-11-29T10:00:00Z'
          }
        ]
      }
    });
}

function formFor(server: FakeServer, connections: IOpenbisConnection[] = [LAB]) {
  return new UploadFormModel({
    serverSettings: server.settings,
    trans: nullTranslator.load('reana_openbis_lab'),
    paths: ['results/run1'],
    connections,
    notebook: 'results/analysis.ipynb',
    searchDelay: 0
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

describe('fieldsOf', () => {
  it('makes one typed input per property assignment, in the type order', () => {
    const fields = fieldsOf(RAW_DATA);

    expect(fields.map(f => f.input)).toEqual([
      'text',
      'vocabulary',
      'timestamp',
      'date',
      'integer',
      'real',
      'boolean',
      'multiline',
      'text'
    ]);
    expect(fields[1]).toMatchObject({
      label: 'Device',
      mandatory: true,
      options: [
        { value: 'MICROSCOPE', label: 'Microscope' },
        { value: 'SEQUENCER', label: 'Sequencer' }
      ]
    });
    expect(fields[0].help).toBe('Name');
  });
});

describe('convertValue', () => {
  const [name, device, measured, start, count, temperature, calibrated] = fieldsOf(RAW_DATA);

  it('converts typed text to the values openBIS takes', () => {
    expect(convertValue(count, ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(convertValue(temperature, '21,5')).toEqual({ ok: true, value: 21.5 });
    expect(convertValue(calibrated, 'true')).toEqual({ ok: true, value: true });
    expect(convertValue(start, '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(convertValue(device, 'SEQUENCER')).toEqual({ ok: true, value: 'SEQUENCER' });
    expect(convertValue(name, ' kept as typed ')).toEqual({ ok: true, value: ' kept as typed ' });
    expect(convertValue(name, '   ')).toEqual({ ok: true, value: null });
  });

  it('sends a local date-time with the browser offset', () => {
    const converted = convertValue(measured, '2024-05-01T10:30');

    expect(converted.ok).toBe(true);
    expect(String(converted.ok && converted.value)).toMatch(/^2024-05-01 10:30:00 [+-]\d{4}$/);
  });

  it('refuses what the data type cannot hold', () => {
    expect(convertValue(count, '4.5')).toEqual({ ok: false, problem: 'integer' });
    expect(convertValue(temperature, 'warm')).toEqual({ ok: false, problem: 'real' });
    expect(convertValue(start, '2023-02-29')).toEqual({ ok: false, problem: 'date' });
    expect(convertValue(measured, '2024-05-01T25:00')).toEqual({ ok: false, problem: 'timestamp' });
    expect(convertValue(device, 'TELESCOPE')).toEqual({ ok: false, problem: 'term' });
  });
});

describe('UploadFormModel', () => {
  it('loads the types, generates the form with defaults and proposes manifest parents', async () => {
    // Given a connected openBIS and a folder with one downloaded dataset of this connection
    const form = formFor(serverWithTypes());

    // When the dialog loads
    await form.load();

    // Then the first type is chosen, $NAME defaults to the folder name, mandatory booleans to no
    expect(form.datasetType).toBe('RAW_DATA');
    expect(form.value('$NAME')).toBe('run1');
    expect(form.value('IS_CALIBRATED')).toBe('false');
    expect(form.parentCandidates.map(c => c.permId)).toEqual(['20240101-7']);
    expect(form.includeNotebook).toBe(true);
  });

  it('asks for the manifest of a selected folder, not of a selected file', async () => {
    // Given a file and a folder selected
    const server = serverWithTypes();
    const form = new UploadFormModel({
      serverSettings: server.settings,
      trans: nullTranslator.load('reana_openbis_lab'),
      paths: ['results/plot.png', 'results/run1'],
      folders: ['results/run1'],
      connections: [LAB],
      notebook: null,
      searchDelay: 0
    });

    // When the dialog loads
    await form.load();

    // Then only folders are asked for: the selected one and the one they live in
    const asked = server.requests
      .filter(request => new URL(request.url).pathname.endsWith('/openbis/manifest'))
      .map(request => new URL(request.url).searchParams.get('path'))
      .sort();
    expect(asked).toEqual(['results', 'results/run1']);
  });

  it('marks every field at fault before asking the server', async () => {
    const server = serverWithTypes();
    const form = formFor(server);
    await form.load();
    form.setValue('SAMPLE_COUNT', 'many');

    const job = await form.submit();

    expect(job).toBeNull();
    expect(form.error('target.id')).toBeDefined();
    expect(form.error('properties.DEVICE')).toBe('Device is mandatory.');
    expect(form.error('properties.SAMPLE_COUNT')).toBe('Samples must be a whole number.');
    expect(server.requests.some(r => r.url.includes('/openbis/uploads'))).toBe(false);
  });

  it('sends typed values, target, parents and the notebook', async () => {
    const server = serverWithTypes().on(`${BASE}/openbis/uploads`, {
      status: 202,
      body: { id: 'u1', kind: 'openbis-upload', title: 'Upload to /LAB/S1', state: 'queued' }
    });
    const form = formFor(server);
    await form.load();
    form.chooseTarget({ kind: 'object', id: '20240101-3', identifier: '/LAB/S1' });
    form.setValue('DEVICE', 'MICROSCOPE');
    form.setValue('SAMPLE_COUNT', '3');
    form.setValue('IS_CALIBRATED', 'true');
    form.setValue('START_DATE', '2024-03-01');
    form.toggleParent('20240101-7', true);

    const job = await form.submit();

    expect(job?.id).toBe('u1');
    const request = server.requests.find(r => r.url.includes('/openbis/uploads'));
    expect(request?.method).toBe('POST');
    expect(await request?.json()).toEqual({
      connection: 'lab',
      paths: ['results/run1'],
      datasetType: 'RAW_DATA',
      target: { kind: 'object', id: '20240101-3' },
      properties: {
        $NAME: 'run1',
        DEVICE: 'MICROSCOPE',
        START_DATE: '2024-03-01',
        SAMPLE_COUNT: 3,
        IS_CALIBRATED: true
      },
      parents: ['20240101-7'],
      includeNotebook: 'results/analysis.ipynb'
    });
  });

  it('puts the server field errors next to their fields and keeps the input', async () => {
    // Given a server that refuses a property and a parent
    const server = serverWithTypes().on(`${BASE}/openbis/uploads`, {
      status: 400,
      body: {
        message: "'Temperature' must be a number (and 1 more problem)",
        field: 'properties.TEMPERATURE',
        errors: [
          { field: 'properties.temperature', message: 'Too cold for this device' },
          { field: 'parents[0]', message: 'No dataset 20240101-7' }
        ]
      }
    });
    const form = formFor(server);
    await form.load();
    form.chooseTarget({ kind: 'object', id: '20240101-3', identifier: '/LAB/S1' });
    form.setValue('DEVICE', 'MICROSCOPE');
    form.setValue('TEMPERATURE', '-300');
    form.toggleParent('20240101-7', true);

    // When the user submits
    const job = await form.submit();

    // Then the errors sit on their fields and the values are unchanged
    expect(job).toBeNull();
    expect(form.error('properties.TEMPERATURE')).toBe('Too cold for this device');
    expect(form.error('parents[0]')).toBe('No dataset 20240101-7');
    expect(form.message).toBe('');
    expect(form.value('TEMPERATURE')).toBe('-300');
    expect(form.parents).toEqual(['20240101-7']);

    // And editing the field clears its error
    form.setValue('TEMPERATURE', '20');
    expect(form.error('properties.TEMPERATURE')).toBeUndefined();
  });

  it('logs in from the dialog, then loads the types', async () => {
    const server = serverWithTypes().on(`${BASE}/openbis/connections/lab/login`, {
      status: 403,
      body: { message: 'openBIS rejected the user name or password.', code: 'credentials_rejected' }
    });
    const form = formFor(server, [{ ...LAB, status: 'expired', hasSecret: false }]);
    await form.load();
    expect(form.needsLogin).toBe(true);
    expect(form.types).toEqual([]);

    expect(await form.login('wrong', true)).toBe(false);
    expect(form.error('login')).toBe('openBIS rejected the user name or password.');

    server.on(`${BASE}/openbis/connections/lab/login`, { status: 200, body: LAB });
    expect(await form.login('right', true)).toBe(true);
    const login = server.requests.filter(r => r.url.includes('/login')).pop();
    expect(await login?.json()).toEqual({ remember: true, password: 'right' });
    expect(form.needsLogin).toBe(false);
    expect(form.error('login')).toBeUndefined();
    expect(form.datasetType).toBe('RAW_DATA');
  });

  it('searches targets as the user types and keeps only the latest answer', async () => {
    const server = serverWithTypes().on(`${BASE}/openbis/connections/lab/search`, {
      status: 200,
      body: {
        items: [{ permId: '20240101-3', identifier: '/LAB/PROJ/S1', name: 'Sample one' }],
        total: 1,
        start: 0,
        count: 20
      }
    });
    const form = formFor(server);
    await form.load();

    form.setTargetQuery('S');
    form.setTargetQuery('S1');
    await sleep(30);

    const searches = server.requests.filter(r => r.url.includes('/search'));
    expect(searches).toHaveLength(1);
    expect(new URL(searches[0].url).searchParams.get('q')).toBe('S1');
    expect(form.targetResults).toEqual([
      { kind: 'object', id: '20240101-3', identifier: '/LAB/PROJ/S1', name: 'Sample one' }
    ]);
  });

  it('publishes the ticked workspace paths of a run and refuses an empty selection', async () => {
    const publishRoute = `${BASE}/reana/connections/cern/workflows/w-1/publish`;
    const server = serverWithTypes().on(publishRoute, {
      status: 202,
      body: { id: 'p1', kind: 'reana-publish', title: 'Publish w-1', state: 'queued' }
    });
    const files = new PublishFiles(['results/count.txt'], () =>
      Promise.resolve({ items: [], total: 0 })
    );
    const form = new UploadFormModel({
      serverSettings: server.settings,
      trans: nullTranslator.load('reana_openbis_lab'),
      paths: [],
      connections: [LAB],
      notebook: null,
      searchDelay: 0,
      publish: {
        reanaConnection: 'cern',
        workflow: 'w-1',
        parents: [{ permId: '20240101-7', type: 'RAW_DATA' }],
        target: { kind: 'object', id: '20240101-3' },
        summary: 'Made by the REANA run w.1',
        files
      }
    });
    await form.load();
    form.setValue('DEVICE', 'MICROSCOPE');
    form.setValue('IS_CALIBRATED', 'true');

    // Nothing ticked: the dialog says so before asking the server
    files.toggle('results/count.txt', false);
    expect(await form.submit()).toBeNull();
    expect(form.error('paths')).toBeTruthy();

    // A change of the selection clears the error; the request carries what is ticked
    files.add('logs/');
    expect(form.error('paths')).toBeUndefined();
    const job = await form.submit();
    expect(job?.id).toBe('p1');
    const request = server.requests.find(r => r.url.includes('/publish'));
    const body = await request?.json();
    expect(body.paths).toEqual(['logs']);
    expect(body.openbisConnection).toBe('lab');
    expect(body.parents).toEqual(['20240101-7']);
    expect(body.summaryProperty).toBe('NOTES');
    form.dispose();
    files.dispose();
  });
});
