import React from 'react';
import { TranslationBundle } from '@jupyterlab/translation';

import {
  ConnectionSwitcher,
  IConnectionChoice,
  ISwitcherAction
} from '../../components/ConnectionSwitcher';
import { EmptyState, hasNone } from '../../components/EmptyState';
import { useSignal } from '../../components/hooks';
import { ListState } from '../../components/ListState';
import { describeStatus } from '../../components/OpenbisConnectionItem';
import { useTranslation } from '../../components/translation';
import { IConnectionsModel, IOpenbisConnection } from '../../tokens';
import { BrowserModel } from '../BrowserModel';
import { OpenbisBrowser } from './OpenbisBrowser';
import { ITreeActions } from './OpenbisTree';

/** What the openBIS panel asks its plugin for; each is a command. */
export interface IOpenbisHomeActions extends ITreeActions {
  /** Log in to a connection (asks for the secret when the server holds none). */
  loginTo(name: string): void;
  /** Log in to a connection that cannot log itself in, then browse it. */
  loginAndBrowse(name: string): void;
  add(): void;
  manage(): void;
}

/**
 * The openBIS panel's body: the current connection on one line, then its data (search,
 * path, tree) in all the height that is left. Without a connection, the first step.
 */
export function OpenbisHome(props: {
  connections: IConnectionsModel;
  browser: BrowserModel;
  actions: IOpenbisHomeActions;
}): JSX.Element {
  const trans = useTranslation();
  const { connections, browser, actions } = props;
  useSignal(connections.changed, browser.changed);
  const list = connections.openbis;
  if (list.status !== 'ready') {
    return <ListState list={list} service={trans.__('openBIS')} />;
  }
  if (list.connections.length === 0) {
    return (
      <EmptyState
        firstSteps={hasNone(connections.reana)}
        title={trans.__('Browse your openBIS data')}
        text={trans.__(
          'Add an openBIS connection to browse its spaces, projects, collections, objects and datasets, download datasets and upload results with their provenance.'
        )}
        addLabel={trans.__('Add openBIS connection…')}
        onAdd={actions.add}
      />
    );
  }
  // Nothing browsed while no connection can log itself in: the line shows the first one
  // with the log-in it needs, and no request is made that could only be refused.
  const current = list.connections.find(c => c.name === browser.connection) ?? list.connections[0];
  const choose = (name: string) => {
    const chosen = list.connections.find(c => c.name === name);
    if (chosen && !canBrowse(chosen)) {
      actions.loginAndBrowse(name);
    } else {
      browser.connection = name;
    }
  };
  return (
    <div className="jp-ReanaOpenbis-home">
      <ConnectionSwitcher
        service={trans.__('openBIS')}
        choices={list.connections.map(c => choiceOf(c, trans))}
        current={current.name}
        onChoose={choose}
        action={needsLogin(current, actions, trans)}
        menuActions={[
          { label: trans.__('Add openBIS connection…'), execute: actions.add },
          { label: trans.__('Manage connections…'), execute: actions.manage }
        ]}
        onManage={actions.manage}
      />
      <OpenbisBrowser model={browser} actions={actions} />
    </div>
  );
}

/** Whether the connection has a session, or the server can open one by itself. */
export function canBrowse(connection: IOpenbisConnection): boolean {
  return connection.status === 'connected' || connection.hasSecret;
}

/** The switcher's view of a connection. */
function choiceOf(connection: IOpenbisConnection, trans: TranslationBundle): IConnectionChoice {
  const [tone, status] = describeStatus(connection, trans);
  return {
    name: connection.name,
    tone,
    status,
    user: connection.loggedInAs ?? connection.username ?? null
  };
}

/** "Log in again" in place of the user when the session expired; "Log in" without a session. */
function needsLogin(
  connection: IOpenbisConnection,
  actions: IOpenbisHomeActions,
  trans: TranslationBundle
): ISwitcherAction | null {
  const login = () => actions.loginTo(connection.name);
  switch (connection.status) {
    case 'expired':
      return { label: trans.__('Log in again'), execute: login };
    case 'unreachable':
      return { label: trans.__('Retry'), execute: login };
    case 'disconnected':
      return connection.hasSecret ? null : { label: trans.__('Log in'), execute: login };
    default:
      return null;
  }
}
