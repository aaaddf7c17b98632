import React from 'react';
import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { reactBody } from '../reactBody';
import { IOpenbisConnection } from '../tokens';
import { OpenbisClient } from './client';
import { ConnectionForm } from './components/ConnectionForm';
import { ConnectionFormModel } from './ConnectionFormModel';

/** The index of the accepting button: Cancel comes first. */
const ACCEPT = 1;

/**
 * A dialog whose accept button submits first and closes only when that worked, so the
 * server's field errors appear in the still-open form instead of a second dialog.
 */
class SubmittingDialog<T> extends Dialog<T> {
  constructor(options: Partial<Dialog.IOptions<T>>, submit: () => Promise<boolean>) {
    super(options);
    this.#submit = submit;
  }

  resolve(index?: number): void {
    if ((index ?? ACCEPT) !== ACCEPT) {
      super.resolve(index);
      return;
    }
    if (this.#busy) {
      return;
    }
    this.#busy = true;
    void this.#submit()
      .then(done => {
        if (done) {
          super.resolve(ACCEPT);
        }
      })
      .finally(() => {
        this.#busy = false;
      });
  }

  readonly #submit: () => Promise<boolean>;
  #busy = false;
}

/**
 * Ask for a new connection, changes to one, or only its secret; save and log in.
 *
 * @returns the connection as the server has it after logging in, or `null` when cancelled.
 */
export async function showConnectionDialog(options: {
  client: OpenbisClient;
  trans: TranslationBundle;
  connection?: IOpenbisConnection;
  loginOnly?: boolean;
}): Promise<IOpenbisConnection | null> {
  const { trans, connection } = options;
  const model = new ConnectionFormModel(options);
  const body = reactBody(trans, <ConnectionForm model={model} />, 'jp-ReanaOpenbis-dialogBody');
  let result: IOpenbisConnection | null = null;
  const titles = {
    add: trans.__('Add openBIS connection'),
    edit: trans.__('Edit openBIS connection %1', connection?.name ?? ''),
    login: trans.__('Log in to openBIS %1', connection?.name ?? '')
  };
  const accept = {
    add: trans.__('Add and log in'),
    edit: trans.__('Save'),
    login: trans.__('Log in')
  };
  const dialog = new SubmittingDialog<void>(
    {
      title: titles[model.mode],
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: accept[model.mode] })
      ],
      defaultButton: ACCEPT,
      focusNodeSelector: model.mode === 'login' ? 'input[type="password"]' : 'input'
    },
    async () => {
      result = await model.submit();
      return result !== null;
    }
  );
  const answer = await dialog.launch();
  if (!answer.button.accept) {
    await model.discard();
    return null;
  }
  return result;
}
