import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { TranslationContext } from '../components/translation';
import { IReanaConnection } from '../tokens';
import { ReanaApi } from './api';
import { SecretsPanel } from './components/SecretsPanel';
import { ServerInfoLoader } from './components/ServerInfoView';
import { SecretsModel } from './SecretsModel';

/** The connection's secrets: list, add, delete; closes with one button. */
export async function secretsDialog(
  api: ReanaApi,
  trans: TranslationBundle,
  connection: string
): Promise<void> {
  const model = new SecretsModel(api, connection);
  const body = ReactWidget.create(
    <TranslationContext.Provider value={trans}>
      <SecretsPanel model={model} />
    </TranslationContext.Provider>
  );
  body.addClass('jp-ReanaOpenbis-secretsDialog');
  await showDialog({
    title: trans.__('Secrets on %1', connection),
    body,
    focusNodeSelector: 'input[name="secretName"]',
    // Adding is the form's own button; closing is not an answer to anything.
    buttons: [Dialog.cancelButton({ label: trans.__('Close') })]
  });
}

/** What the connection's server offers (its /api/info). */
export async function serverInfoDialog(
  api: ReanaApi,
  trans: TranslationBundle,
  connection: IReanaConnection
): Promise<void> {
  const body = ReactWidget.create(
    <TranslationContext.Provider value={trans}>
      <ServerInfoLoader
        api={api}
        connection={connection.name}
        version={connection.account?.serverVersion}
      />
    </TranslationContext.Provider>
  );
  body.addClass('jp-ReanaOpenbis-serverInfoDialog');
  await showDialog({
    title: trans.__('REANA server of %1', connection.name),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
