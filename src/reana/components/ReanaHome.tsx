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
import { useTranslation } from '../../components/translation';
import { IReanaConnection } from '../../tokens';
import { IWorkflow } from '../api';
import { ReanaSectionModel } from '../ReanaSectionModel';
import { QuotaMeter } from './QuotaMeter';
import { describeStatus, identityOf } from './ReanaConnectionItem';
import { WorkflowList } from './WorkflowList';

/** What the REANA panel asks its plugin for; each is a command. */
export interface IReanaHomeActions {
  openRun(connection: string, workflow: IWorkflow): void;
  /** Give a connection its token (the edit dialog). */
  edit(name: string): void;
  add(): void;
  manage(): void;
  /** The connection's secrets (list, add, delete). */
  secrets(name: string): void;
  /** What the connection's server offers (`/api/info`). */
  serverInfo(name: string): void;
}

/**
 * The REANA panel's body: the current connection on one line, then its runs (search,
 * status, sort, pages) in all the height that is left. Without a connection, the first step.
 */
export function ReanaHome(props: {
  model: ReanaSectionModel;
  actions: IReanaHomeActions;
}): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  useSignal(model.changed);
  const list = model.connections.reana;
  if (list.status !== 'ready') {
    return <ListState list={list} service={trans.__('REANA')} />;
  }
  if (list.connections.length === 0) {
    return (
      <EmptyState
        firstSteps={hasNone(model.connections.openbis)}
        title={trans.__('Run workflows on REANA')}
        text={trans.__(
          'Add a REANA connection with your access token to see your workflow runs, their logs and files, and to run reana.yaml specifications.'
        )}
        addLabel={trans.__('Add REANA connection…')}
        onAdd={actions.add}
      />
    );
  }
  const selected = model.selected;
  const current = list.connections.find(c => c.name === selected) ?? null;
  const workflows = model.list;
  return (
    <div className="jp-ReanaOpenbis-home">
      <ConnectionSwitcher
        service={trans.__('REANA')}
        choices={list.connections.map(c => choiceOf(c, model.problem(c.name), trans))}
        current={selected}
        onChoose={name => (model.selected = name)}
        action={current && needsToken(current, model.problem(current.name), actions, trans)}
        menuActions={[
          ...(current?.hasToken ? accountActions(current.name, actions, trans) : []),
          { label: trans.__('Add REANA connection…'), execute: actions.add },
          { label: trans.__('Manage connections…'), execute: actions.manage }
        ]}
        onManage={actions.manage}
      >
        {current?.account?.quota && !model.problem(current.name) && (
          <QuotaMeter quota={current.account.quota} compact />
        )}
      </ConnectionSwitcher>
      {workflows && selected ? (
        <WorkflowList model={workflows} onOpen={workflow => actions.openRun(selected, workflow)} />
      ) : (
        current && (
          <p className="jp-ReanaOpenbis-muted jp-ReanaOpenbis-homeNote">
            {trans.__('Enter an access token to see the runs of %1.', current.name)}
          </p>
        )
      )}
    </div>
  );
}

/** What the current connection's menu offers about its account and server. */
function accountActions(
  name: string,
  actions: IReanaHomeActions,
  trans: TranslationBundle
): ISwitcherAction[] {
  return [
    { label: trans.__('Secrets…'), execute: () => actions.secrets(name) },
    { label: trans.__('About the server…'), execute: () => actions.serverInfo(name) }
  ];
}

/** The switcher's view of a connection. */
function choiceOf(
  connection: IReanaConnection,
  problem: string | undefined,
  trans: TranslationBundle
): IConnectionChoice {
  const [tone, status] = describeStatus(connection, problem, trans);
  return { name: connection.name, tone, status, user: identityOf(connection) };
}

/** What the connection needs before it can list runs: a token, or a better one. */
function needsToken(
  connection: IReanaConnection,
  problem: string | undefined,
  actions: IReanaHomeActions,
  trans: TranslationBundle
): ISwitcherAction | null {
  const edit = () => actions.edit(connection.name);
  if (!connection.hasToken) {
    return { label: trans.__('Enter token'), execute: edit };
  }
  return problem ? { label: trans.__('Edit token'), execute: edit } : null;
}
