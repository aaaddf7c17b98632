import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';

import { IOpenbisConnection } from '../tokens';
import { ConnectionItem } from './ConnectionItem';
import { StatusTone } from './StatusBadge';
import { useTranslation } from './translation';

/** An openBIS connection and whether its session is alive. */
export function OpenbisConnectionItem(props: { connection: IOpenbisConnection }): JSX.Element {
  const trans = useTranslation();
  const { connection } = props;
  const [tone, status] = describeStatus(connection, trans);
  return (
    <ConnectionItem
      name={connection.name}
      url={connection.url}
      tone={tone}
      status={status}
      details={connection.lastError ?? undefined}
      tag={connection.preset ? trans.__('preset') : undefined}
      warnings={securityWarnings(connection, trans)}
    />
  );
}

function describeStatus(
  connection: IOpenbisConnection,
  trans: TranslationBundle
): [StatusTone, string] {
  switch (connection.status) {
    case 'connected':
      return connection.loggedInAs
        ? ['ok', trans.__('Connected as %1', connection.loggedInAs)]
        : ['ok', trans.__('Connected')];
    case 'expired':
      return ['warn', trans.__('Session expired')];
    case 'unreachable':
      return ['error', trans.__('Unreachable')];
    case 'disconnected':
      return ['idle', trans.__('Not logged in')];
  }
}

function securityWarnings(connection: IOpenbisConnection, trans: TranslationBundle): string[] {
  const warnings: string[] = [];
  if (connection.insecureHttp) {
    warnings.push(trans.__('Plain HTTP: passwords and tokens travel unencrypted'));
  } else if (!connection.verifyCertificates) {
    warnings.push(trans.__('Server certificate not checked'));
  }
  return warnings;
}
