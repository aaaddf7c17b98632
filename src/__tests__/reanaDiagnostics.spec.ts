import { EditorState } from '@codemirror/state';

import { diagnosticsField, diagnosticsExtension, setDiagnostics } from '../reana/diagnostics';

describe('inline diagnostics', () => {
  it('are replaced by the latest verdict and move with edits until the next one', () => {
    let state = EditorState.create({
      doc: 'workflow:\n  type: serial\n',
      extensions: diagnosticsExtension
    });
    state = state.update({
      effects: setDiagnostics.of([{ from: 12, to: 24, severity: 'error', message: 'bad' }])
    }).state;
    expect(state.field(diagnosticsField)).toHaveLength(1);

    // Typing before it moves it along
    state = state.update({ changes: { from: 0, insert: '# c\n' } }).state;
    const [moved] = state.field(diagnosticsField);
    expect(state.doc.sliceString(moved.from, moved.to)).toBe('type: serial');

    // A new verdict replaces the old one
    state = state.update({ effects: setDiagnostics.of([]) }).state;
    expect(state.field(diagnosticsField)).toHaveLength(0);
  });
});
