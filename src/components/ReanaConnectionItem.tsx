import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { IReanaConnection } from '../tokens';
import { ConnectionItem } from './ConnectionItem';
import { StatusTone } from './StatusBadge';
import { useTranslation } from './translation';

/** A REANA connection and whether it has a token that REANA accepted. */
export function ReanaConnectionItem(props: { connection: IReanaConnection }): JSX.Element {
  const trans = useTranslation();
  const { connection } = props;
  const [tone, status] = describeStatus(connection, trans);
  const account = connection.account?.email ?? connection.account?.username ?? undefined;
  return (
    <ConnectionItem
      name={connection.name}
      url={connection.url}
      tone={tone}
      status={status}
      details={account ? trans.__('Account: %1', account) : undefined}
      tag={connection.readOnly ? trans.__('preset') : undefined}
      warnings={connection.verifyCertificates ? [] : [trans.__('Server certificate not checked')]}
    />
  );
}

function describeStatus(
  connection: IReanaConnection,
  trans: TranslationBundle
): [StatusTone, string] {
  if (!connection.hasToken) {
    return ['idle', trans.__('No access token')];
  }
  if (connection.checkedAt) {
    return ['ok', trans.__('Token accepted')];
  }
  return ['warn', trans.__('Token not checked')];
}
