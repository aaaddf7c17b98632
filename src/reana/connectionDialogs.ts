import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { IReanaConnection } from '../tokens';
import { ReanaApi } from './api';
import {
  ConnectionFormBody,
  connectionInput,
  IConnectionFormValues,
  IFormError
} from './components/ConnectionForm';
import { describeProblem } from './status';

/**
 * Ask for a REANA connection and save it; on a refusal (a wrong token, a bad URL) the
 * dialog comes back with the user's input and the server's words next to the field.
 *
 * @returns the saved connection, or null when the user cancelled.
 */
export async function editConnectionDialog(
  api: ReanaApi,
  trans: TranslationBundle,
  existing?: IReanaConnection
): Promise<IReanaConnection | null> {
  const editing = existing !== undefined;
  let values: IConnectionFormValues = {
    name: existing?.name ?? '',
    url: existing?.url ?? '',
    accessToken: '',
    verifyCertificates: existing?.verifyCertificates ?? true
  };
  let error: IFormError | undefined;
  for (;;) {
    const body = new ConnectionFormBody(trans, values, {
      editing,
      preset: existing?.readOnly ?? false,
      error
    });
    const result = await showDialog({
      title: editing
        ? trans.__('Edit REANA connection %1', existing.name)
        : trans.__('Add a REANA connection'),
      body,
      focusNodeSelector: editing ? 'input[name="accessToken"]' : 'input[name="name"]',
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: editing ? trans.__('Save') : trans.__('Add') })
      ]
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    values = result.value;
    try {
      const input = connectionInput(values, editing);
      return editing
        ? await api.editConnection(existing.name, input)
        : await api.addConnection(input);
    } catch (reason) {
      error = formError(reason, trans);
    }
  }
}

/** Where a refusal belongs in the form. */
export function formError(reason: unknown, trans: TranslationBundle): IFormError {
  const problem = describeProblem(reason);
  switch (problem.kind) {
    case 'token':
      // The server's words say the same ("REANA rejected the access token"): once is enough.
      return {
        field: 'accessToken',
        message: trans.__(
          'REANA rejected this access token. Copy it again from your REANA profile page, or create a new one there.'
        )
      };
    case 'input': {
      const field = problem.field;
      return field === 'name' || field === 'url' || field === 'accessToken'
        ? { field, message: problem.message }
        : { message: problem.message };
    }
    case 'upstream':
      return {
        field: 'url',
        message: trans.__('The REANA server could not be reached: %1', problem.message)
      };
    default:
      return { message: problem.message };
  }
}

/** Ask before forgetting a connection and its token. @returns whether it was deleted. */
export async function deleteConnectionDialog(
  api: ReanaApi,
  trans: TranslationBundle,
  name: string
): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Delete REANA connection'),
    body: trans.__(
      'Forget the connection %1 and its access token? Runs on the REANA server are not touched.',
      name
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete') })
    ]
  });
  if (!result.button.accept) {
    return false;
  }
  await api.deleteConnection(name);
  return true;
}
