import { TranslationBundle } from '@jupyterlab/translation';

/**
 * What REANA accepts as a workflow name (as the server's `check_name`), in the syntax of an
 * HTML `pattern` attribute. Browsers compile `pattern` with the `v` flag, where a `-` in a
 * character class must be escaped: `[A-Za-z0-9_-]` is a syntax error there, which the
 * browser reports in the console and then skips the check altogether.
 */
export const WORKFLOW_NAME_PATTERN = '[A-Za-z0-9_\\-]{1,100}';

const WHOLE_NAME = new RegExp(`^(?:${WORKFLOW_NAME_PATTERN})$`, 'v');

/** Why REANA would refuse `name` (empty means "the default name"), or null when it is fine. */
export function workflowNameProblem(name: string, trans: TranslationBundle): string | null {
  const trimmed = name.trim();
  if (trimmed === '' || WHOLE_NAME.test(trimmed)) {
    return null;
  }
  return trans.__('Use letters, digits, - and _ only (at most 100).');
}
