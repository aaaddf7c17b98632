import React from 'react';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, deleteIcon, editIcon } from '@jupyterlab/ui-components';

import { IOpenbisConnection } from '../tokens';
import { IconButton } from './IconButton';
import { ConnectionCard } from './ConnectionsPart';
import { StatusTone } from './StatusBadge';
import { useTranslation } from './translation';
import { shownText } from './names';

/** What a connection row can ask for; each is a command of the openBIS section. */
export interface IOpenbisConnectionActions {
  login(name: string): void;
  logout(name: string): void;
  edit(name: string): void;
  remove(name: string): void;
  browse(name: string): void;
  /** Absent when the server has no sshfs or no part registered the mount commands. */
  mount?: (name: string) => void;
  unmount?: (name: string) => void;
}

/**
 * An openBIS connection: whether its session is alive and as whom, what can be done with
 * it. An expired session offers "Log in again" right in the row; presets are marked and
 * cannot be edited or deleted.
 */
export function OpenbisConnectionItem(props: {
  connection: IOpenbisConnection;
  actions?: IOpenbisConnectionActions;
  /** The connection the tree below shows. */
  browsing?: boolean;
}): JSX.Element {
  const trans = useTranslation();
  const { connection, actions } = props;
  const { name } = connection;
  const [tone, status] = describeStatus(connection, trans);
  const connected = connection.status === 'connected';
  const warning = securityWarning(connection, trans);
  return (
    <ConnectionCard
      name={name}
      preset={connection.preset}
      tone={tone}
      status={status}
      current={props.browsing ?? false}
      headerActions={
        actions &&
        !connection.preset && (
          <span className="jp-ReanaOpenbis-hoverActions">
            <IconButton
              icon={editIcon}
              label={trans.__('Edit connection %1', name)}
              onClick={() => actions.edit(name)}
            />
            <IconButton
              icon={deleteIcon}
              label={trans.__('Delete connection %1', name)}
              onClick={() => actions.remove(name)}
            />
          </span>
        )
      }
    >
      <div className="jp-ReanaOpenbis-connectionLine">
        {warning && (
          <span className="jp-ReanaOpenbis-tag jp-mod-warn" role="note" title={warning.text}>
            {warning.short}
            <span className="jp-ReanaOpenbis-visuallyHidden">{warning.text}</span>
          </span>
        )}
        <span className="jp-ReanaOpenbis-connectionUrl" title={connection.url}>
          {connection.url}
        </span>
      </div>
      {connection.lastError && !connected && (
        <div className="jp-ReanaOpenbis-connectionError">{shownText(connection.lastError)}</div>
      )}
      {connection.isMounted && connection.mountpoint && (
        <div className="jp-ReanaOpenbis-muted">
          {trans.__('Data store mounted at %1', connection.mountpoint)}
        </div>
      )}
      {actions && (
        <div className="jp-ReanaOpenbis-connectionActions">
          {connection.status === 'expired' ? (
            <Button small onClick={() => actions.login(name)}>
              {trans.__('Log in again')}
            </Button>
          ) : connected ? (
            <Button small minimal onClick={() => actions.logout(name)}>
              {trans.__('Log out')}
            </Button>
          ) : (
            <Button small minimal onClick={() => actions.login(name)}>
              {trans.__('Log in')}
            </Button>
          )}
          <Button small minimal aria-pressed={props.browsing} onClick={() => actions.browse(name)}>
            {trans.__('Browse')}
          </Button>
          {connection.isMounted
            ? actions.unmount && (
                <Button small minimal onClick={() => actions.unmount?.(name)}>
                  {trans.__('Unmount')}
                </Button>
              )
            : actions.mount && (
                <Button small minimal onClick={() => actions.mount?.(name)}>
                  {trans.__('Mount data store')}
                </Button>
              )}
        </div>
      )}
    </ConnectionCard>
  );
}

/** How the connection's state should catch the eye, and in words. */
export function describeStatus(
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
      return connection.hasSecret
        ? ['idle', trans.__('Logs in when used')]
        : ['idle', trans.__('Not logged in')];
  }
}

/** What is unsafe about the connection: a word for the row, the sentence for its tooltip. */
function securityWarning(
  connection: IOpenbisConnection,
  trans: TranslationBundle
): { short: string; text: string } | null {
  if (connection.insecureHttp) {
    return {
      short: trans.__('HTTP'),
      text: trans.__('Plain HTTP: passwords and tokens travel unencrypted')
    };
  }
  if (!connection.verifyCertificates) {
    return {
      short: trans.__('unchecked TLS'),
      text: trans.__('Server certificate not checked')
    };
  }
  return null;
}
