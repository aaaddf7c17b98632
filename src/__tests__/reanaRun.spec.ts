import { Text } from '@codemirror/state';

import {
  parameterFields,
  parameterOverrides,
  parseOperationalOptions,
  readParameter,
  readStartOptions
} from '../reana/parameters';
import { installCommand, isReanaSpec, toDiagnostics } from '../reana/specs';
import { WORKFLOW_NAME_PATTERN } from '../reana/workflowName';

describe('run dialog parameters', () => {
  const fields = () =>
    parameterFields({ bins: 20, title: 'demo', verbose: true, ratio: 0.5, list: [1, 2] });

  it('types each input from the default in inputs.parameters', () => {
    expect(fields().map(f => [f.name, f.kind, f.value])).toEqual([
      ['bins', 'number', '20'],
      ['title', 'string', 'demo'],
      ['verbose', 'boolean', true],
      ['ratio', 'number', '0.5'],
      ['list', 'string', '[1,2]']
    ]);
  });

  it('sends only changed values, typed', () => {
    const edited = fields();
    edited[0].value = '30';
    edited[2].value = false;
    expect(parameterOverrides(edited)).toEqual({ overrides: { bins: 30, verbose: false } });
    expect(parameterOverrides(fields())).toEqual({ overrides: {} });
  });

  it('refuses a number field that is not a number', () => {
    const edited = fields();
    edited[0].value = 'twenty';
    expect(readParameter(edited[0])).toEqual({ error: 'a number' });
    expect(parameterOverrides(edited)).toEqual({ invalid: ['bins'] });
  });

  it('reads operational options as KEY=value lines', () => {
    expect(parseOperationalOptions('CACHE=off\n\n TARGET = gendata ')).toEqual({
      options: { CACHE: 'off', TARGET: 'gendata' }
    });
    expect(parseOperationalOptions('no equals sign')).toEqual({ invalid: ['no equals sign'] });
  });

  it('gives the start options that are set, or every invalid input of the form', () => {
    const edited = fields();
    expect(readStartOptions(edited, '')).toEqual({ start: {} });
    edited[0].value = '30';
    expect(readStartOptions(edited, 'CACHE=off')).toEqual({
      start: { parameters: { bins: 30 }, operationalOptions: { CACHE: 'off' } }
    });
    edited[0].value = 'thirty';
    expect(readStartOptions(edited, 'no equals sign')).toEqual({
      errors: { parameters: ['bins'], options: ['no equals sign'] }
    });
  });
});

describe('specifications', () => {
  it('knows a REANA spec by name or by its workflow key', () => {
    expect(isReanaSpec('a/reana.yaml', '')).toBe(true);
    expect(isReanaSpec('a/reana-cwl.yml', '')).toBe(true);
    expect(isReanaSpec('a/analysis.yaml', 'version: 1\nworkflow:\n  type: serial')).toBe(true);
    expect(isReanaSpec('a/environment.yml', 'name: env\ndependencies: []')).toBe(false);
    expect(isReanaSpec('a/reana.py', '')).toBe(false);
  });

  it('places located messages on their line and column', () => {
    const doc = Text.of(['version: 0.9.0', 'workflow:', '  type: serial']);
    const diagnostics = toDiagnostics(
      {
        path: 'reana.yaml',
        valid: false,
        verdict: 'invalid',
        errors: [{ message: 'bad type', line: 3, column: 3 }],
        warnings: [{ message: 'somewhere' }]
      },
      doc
    );
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'bad type' });
    expect(doc.sliceString(diagnostics[0].from, diagnostics[0].to)).toBe('type: serial');
    expect(diagnostics[1]).toMatchObject({ severity: 'warning', from: 0 });
  });

  it('takes the install command from /info, with a default', () => {
    const info = {
      name: 'reana_openbis_lab',
      version: '0.1.0',
      capabilities: { reanaClient: { available: false, installCommand: 'install it' } }
    };
    expect(installCommand(info)).toBe('install it');
    expect(installCommand(null)).toBe('jupyter reana-openbis-lab install-reana-client');
  });
});

describe('the run name pattern', () => {
  it('is a valid regular expression as browsers compile `pattern` (the v flag)', () => {
    // Chromium logged "Pattern attribute value [A-Za-z0-9_-]+ is not a valid regular
    // expression" and skipped the check: an unescaped `-` is a syntax error under `v`.
    const asBrowsersDo = () => new RegExp(`^(?:${WORKFLOW_NAME_PATTERN})$`, 'v');
    expect(asBrowsersDo).not.toThrow();
    expect(asBrowsersDo().test('my-run_2')).toBe(true);
    expect(asBrowsersDo().test('stop me!')).toBe(false);
  });
});
