import { Text } from '@codemirror/state';
import { ReadonlyJSONObject } from '@lumino/coreutils';

import { IServerInfo } from '../tokens';
import { ISpecMessage, ISpecValidation } from './api';
import { ISpecDiagnostic } from './diagnostics';

/** What to run when the server has no reana-client environment (`/info` names it too). */
export const DEFAULT_INSTALL_COMMAND = 'jupyter reana-openbis-lab install-reana-client';

/** A file the "Validate" and "Run on REANA…" commands are offered for. */
export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/**
 * A file whose diagnostics the editor shows as you save: named like a REANA spec
 * (`reana*.yaml`), or any YAML file with a top-level `workflow:` key. Other YAML files
 * (CI configs, conda environments) are left alone.
 */
export function isReanaSpec(path: string, text: string): boolean {
  const name = path.split('/').pop() ?? '';
  if (/^reana.*\.ya?ml$/i.test(name)) {
    return true;
  }
  return isYamlPath(name) && /^workflow\s*:/m.test(text);
}

/** The install command from `/info`, or the default one. */
export function installCommand(info: IServerInfo | null | undefined): string {
  const reanaClient = info?.capabilities?.reanaClient as ReadonlyJSONObject | undefined;
  const command = reanaClient?.installCommand;
  return typeof command === 'string' && command ? command : DEFAULT_INSTALL_COMMAND;
}

/** A message's place in a document: from its 1-based line and column to the line's end. */
export function messageRange(message: ISpecMessage, doc: Text): { from: number; to: number } {
  if (!message.line || message.line < 1 || doc.lines === 0) {
    return { from: 0, to: Math.min(doc.length, doc.line(1).to) };
  }
  const line = doc.line(Math.min(message.line, doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, (message.column ?? 1) - 1));
  return { from, to: Math.max(from, line.to) };
}

/** The validation's errors and warnings placed in `doc`. */
export function toDiagnostics(validation: ISpecValidation, doc: Text): ISpecDiagnostic[] {
  const diagnostics: ISpecDiagnostic[] = [];
  for (const [messages, severity] of [
    [validation.errors, 'error'],
    [validation.warnings, 'warning']
  ] as const) {
    for (const message of messages) {
      diagnostics.push({
        ...messageRange(message, doc),
        severity,
        message: message.message
      });
    }
  }
  return diagnostics;
}
