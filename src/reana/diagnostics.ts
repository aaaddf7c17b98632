import { Extension, RangeSet, StateEffect, StateField } from '@codemirror/state';
import { Decoration, DecorationSet, EditorView, gutter, GutterMarker } from '@codemirror/view';

/**
 * Inline diagnostics for the file editor, built on CodeMirror's shared state and view
 * packages: underlines with the message on hover, and a gutter dot per line. (A few
 * lines instead of bundling @codemirror/lint, which JupyterLab does not share.)
 */

/** One message placed in the document (offsets into it). */
export interface ISpecDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Replace the diagnostics shown in an editor. */
export const setDiagnostics = StateEffect.define<readonly ISpecDiagnostic[]>();

/** The diagnostics of a state, as they are now placed (edits move them along). */
export const diagnosticsField = StateField.define<readonly ISpecDiagnostic[]>({
  create: () => [],
  update(value, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setDiagnostics)) {
        return effect.value;
      }
    }
    if (!tr.docChanged || value.length === 0) {
      return value;
    }
    return value.map(d => {
      const from = tr.changes.mapPos(d.from, 1);
      return { ...d, from, to: Math.max(from, tr.changes.mapPos(d.to, -1)) };
    });
  }
});

const underlines = EditorView.decorations.compute([diagnosticsField], state => {
  const ranges = state
    .field(diagnosticsField)
    .filter(d => d.to > d.from)
    .map(d =>
      Decoration.mark({
        class: `jp-ReanaOpenbis-diagnostic jp-mod-${d.severity}`,
        attributes: { title: d.message }
      }).range(d.from, d.to)
    );
  return Decoration.set(ranges, true) as DecorationSet;
});

class DiagnosticMarker extends GutterMarker {
  constructor(
    readonly severity: string,
    readonly message: string
  ) {
    super();
  }

  eq(other: GutterMarker): boolean {
    return (
      other instanceof DiagnosticMarker &&
      other.severity === this.severity &&
      other.message === this.message
    );
  }

  toDOM(): Node {
    const node = document.createElement('div');
    node.className = `jp-ReanaOpenbis-diagnosticMarker jp-mod-${this.severity}`;
    node.title = this.message;
    return node;
  }
}

/** The underlines, for every editor (nothing shows until diagnostics are set). */
export const diagnosticsExtension: Extension = [diagnosticsField, underlines];

/** A gutter with one marker per line that has messages, errors first; for spec editors. */
export const diagnosticsGutter: Extension = gutter({
  class: 'jp-ReanaOpenbis-diagnosticGutter',
  markers: view => {
    const byLine = new Map<number, ISpecDiagnostic[]>();
    for (const d of view.state.field(diagnosticsField, false) ?? []) {
      const line = view.state.doc.lineAt(d.from).from;
      byLine.set(line, [...(byLine.get(line) ?? []), d]);
    }
    const markers = [...byLine.entries()]
      .sort(([a], [b]) => a - b)
      .map(([line, list]) => {
        const severity = list.some(d => d.severity === 'error') ? 'error' : 'warning';
        return new DiagnosticMarker(severity, list.map(d => d.message).join('\n')).range(line);
      });
    return RangeSet.of(markers);
  },
  initialSpacer: () => new DiagnosticMarker('warning', '')
});
