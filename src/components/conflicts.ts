import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

/** What the user chose when an action would replace something that exists. */
export type ConflictAnswer = 'replace' | 'keep-both' | 'cancel';

/**
 * Ask, where the action was taken, what to do about items that exist already: replace
 * them, keep both (the new ones under a free name), or cancel. `message` is the server's
 * words naming the items (a 409 `target_exists`). Keep both is the default button: it loses
 * nothing.
 */
export async function askConflict(
  trans: TranslationBundle,
  options: { title: string; message: string; keepBoth: boolean }
): Promise<ConflictAnswer> {
  const buttons = [
    Dialog.cancelButton({ label: trans.__('Cancel') }),
    ...(options.keepBoth
      ? [Dialog.okButton({ label: trans.__('Keep both'), actions: ['keep-both'] })]
      : []),
    Dialog.warnButton({ label: trans.__('Replace'), actions: ['replace'] })
  ];
  const result = await showDialog({
    title: options.title,
    body: options.keepBoth
      ? trans.__(
          '%1. Replace what is there, or keep both (what is new gets a number, e.g. "name (1)")?',
          options.message.replace(/[.;]\s*$/, '')
        )
      : trans.__('%1. Replace what is there?', options.message.replace(/[.;]\s*$/, '')),
    buttons,
    defaultButton: options.keepBoth ? 1 : 0
  });
  if (!result.button.accept) {
    return 'cancel';
  }
  return result.button.actions.includes('keep-both') ? 'keep-both' : 'replace';
}

/** `name (1)`, `name (2)`, … (before a file's extension): the first that `taken` lacks. */
export function freeName(name: string, taken: ReadonlySet<string>, isFolder: boolean): string {
  const dot = isFolder ? -1 : name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let number = 1; ; number++) {
    const candidate = `${stem} (${number})${extension}`;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
}
