import React from 'react';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';

import { ConnectionCard } from '../../components/ConnectionsPart';
import { StatusTone } from '../../components/StatusBadge';
import { useTranslation } from '../../components/translation';
import { IReanaConnection } from '../../tokens';
import { serverLabel } from '../protocol';
import { QuotaMeter } from './QuotaMeter';

/** What a REANA connection's entry can ask for; each is a command of the REANA part. */
export interface IReanaConnectionActions {
  /** List its runs in the REANA panel. */
  select(name: string): void;
  /** Ask REANA whether the token is accepted, and whose it is. */
  check(name: string): void;
  edit(name: string): void;
  remove(name: string): void;
  /** Its secrets (list, add, delete). */
  secrets(name: string): void;
  /** What its server offers (`/api/info`). */
  serverInfo(name: string): void;
}

/**
 * A REANA connection in the connections view: whether REANA accepts its token and whose it
 * is, what is unsafe about it, and what can be done with it. Presets can be given a token
 * but not deleted.
 */
export function ReanaConnectionItem(props: {
  connection: IReanaConnection;
  /** What REANA said when it last refused the token. */
  problem?: string;
  /** The connection whose runs the REANA panel lists. */
  selected: boolean;
  actions: IReanaConnectionActions;
}): JSX.Element {
  const trans = useTranslation();
  const { connection, actions } = props;
  const { name } = connection;
  const [tone, status] = describeStatus(connection, props.problem, trans);
  const identity = identityOf(connection);
  return (
    <ConnectionCard
      name={name}
      preset={connection.readOnly}
      tone={tone}
      status={status}
      current={props.selected}
      tags={<ServerTag connection={connection} />}
    >
      <div className="jp-ReanaOpenbis-connectionLine">
        {!connection.verifyCertificates && (
          <span
            className="jp-ReanaOpenbis-tag jp-mod-warn"
            role="note"
            title={trans.__('Server certificate not checked')}
          >
            {trans.__('unchecked TLS')}
            <span className="jp-ReanaOpenbis-visuallyHidden">
              {trans.__('Server certificate not checked')}
            </span>
          </span>
        )}
        <span className="jp-ReanaOpenbis-connectionUrl" title={connection.url}>
          {connection.url}
        </span>
      </div>
      {identity && (
        <div className="jp-ReanaOpenbis-connectionUrl">{trans.__('Signed in as %1', identity)}</div>
      )}
      {connection.account?.quota && !props.problem && (
        <QuotaMeter quota={connection.account.quota} />
      )}
      {props.problem && (
        <div className="jp-ReanaOpenbis-error" role="alert">
          {props.problem}
        </div>
      )}
      <div className="jp-ReanaOpenbis-connectionActions">
        <Button small minimal aria-pressed={props.selected} onClick={() => actions.select(name)}>
          {trans.__('Show runs')}
        </Button>
        <Button
          small
          minimal
          disabled={!connection.hasToken}
          title={trans.__('Check the access token of %1', name)}
          onClick={() => actions.check(name)}
        >
          {trans.__('Check token')}
        </Button>
        <Button
          small
          minimal
          disabled={!connection.hasToken}
          title={trans.__('The secrets REANA gives to the jobs of %1', name)}
          onClick={() => actions.secrets(name)}
        >
          {trans.__('Secrets')}
        </Button>
        <Button
          small
          minimal
          disabled={!connection.hasToken}
          title={trans.__('Engines, limits and images of the server of %1', name)}
          onClick={() => actions.serverInfo(name)}
        >
          {trans.__('Server')}
        </Button>
        <Button
          small
          minimal
          aria-label={trans.__('Edit %1', name)}
          onClick={() => actions.edit(name)}
        >
          {trans.__('Edit')}
        </Button>
        {!connection.readOnly && (
          <Button
            small
            minimal
            aria-label={trans.__('Delete %1', name)}
            onClick={() => actions.remove(name)}
          >
            {trans.__('Delete')}
          </Button>
        )}
      </div>
    </ConnectionCard>
  );
}

/** The REANA server's version as a tag, its capabilities in the tooltip. */
function ServerTag(props: { connection: IReanaConnection }): JSX.Element | null {
  const trans = useTranslation();
  const { connection } = props;
  const server = serverLabel(connection);
  if (!server) {
    return null;
  }
  return (
    <span
      className="jp-ReanaOpenbis-tag"
      title={trans.__(
        'Server capabilities: %1',
        connection.api?.capabilities.join(', ') || trans.__('none declared (REANA 0.9 protocol)')
      )}
    >
      {server}
    </span>
  );
}

/** Whose token it is, as REANA said at the last check. */
export function identityOf(connection: IReanaConnection): string | null {
  const account = connection.account;
  return account?.email ?? account?.username ?? null;
}

/** How the connection's state should catch the eye, and in words. */
export function describeStatus(
  connection: IReanaConnection,
  problem: string | undefined,
  trans: TranslationBundle
): [StatusTone, string] {
  if (!connection.hasToken && connection.missingTokenEnv) {
    return ['warn', trans.__('Token missing: %1 is not set', connection.missingTokenEnv)];
  }
  if (!connection.hasToken) {
    return ['idle', trans.__('No access token')];
  }
  if (problem) {
    return ['error', trans.__('Token rejected')];
  }
  if (connection.checkedAt) {
    return ['ok', trans.__('Token accepted')];
  }
  return ['warn', trans.__('Token not checked')];
}
