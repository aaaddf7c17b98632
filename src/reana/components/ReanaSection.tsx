import React from 'react';
import { TranslationBundle } from '@jupyterlab/translation';
import { deleteIcon, editIcon, refreshIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';

import * as CommandIDs from '../../commands';
import { IconButton } from '../../components/IconButton';
import { StatusBadge, StatusTone } from '../../components/StatusBadge';
import { useTranslation } from '../../components/translation';
import { IReanaConnection } from '../../tokens';
import { IWorkflow } from '../api';
import { serverLabel } from '../protocol';
import { ReanaSectionModel } from '../ReanaSectionModel';
import { useSignal } from './hooks';
import { WorkflowList } from './WorkflowList';

/** The REANA section: connections, then the runs of the selected one. */
export function ReanaSection(props: {
  model: ReanaSectionModel;
  commands: CommandRegistry;
}): JSX.Element | null {
  const trans = useTranslation();
  const { model, commands } = props;
  useSignal(model.changed);
  const list = model.connections.reana;
  if (list.status === 'unavailable') {
    return null;
  }
  if (list.status === 'loading') {
    return <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>;
  }
  if (list.status === 'failed') {
    return (
      <p className="jp-ReanaOpenbis-error" role="alert">
        {trans.__('Could not list the connections: %1', list.message)}
      </p>
    );
  }
  const connections = list.connections;
  const workflows = model.list;
  const open = (workflow: IWorkflow) =>
    void commands.execute(CommandIDs.reanaOpenWorkflow, {
      connection: model.selected ?? '',
      workflow: workflow.name
    });
  return (
    <div className="jp-ReanaOpenbis-reana">
      {connections.length === 0 ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('No REANA connection yet.')}</p>
      ) : (
        <ul className="jp-ReanaOpenbis-connectionList" aria-label={trans.__('REANA')}>
          {connections.map(connection => (
            <ConnectionRow
              key={connection.name}
              connection={connection}
              selected={connection.name === model.selected}
              problem={model.problem(connection.name)}
              onSelect={() => (model.selected = connection.name)}
              onCheck={() => void model.check(connection.name)}
              commands={commands}
            />
          ))}
        </ul>
      )}
      {/* With one connection, whose runs these are goes without saying: the room is the list's. */}
      {connections.length > 1 && (
        <h3 className="jp-ReanaOpenbis-subheading">
          {model.selected ? trans.__('Runs on %1', model.selected) : trans.__('Runs')}
        </h3>
      )}
      {workflows ? (
        <WorkflowList model={workflows} onOpen={open} />
      ) : (
        model.selected && (
          <p className="jp-ReanaOpenbis-muted">
            {trans.__('Enter an access token to see the runs of %1.', model.selected)}
          </p>
        )
      )}
    </div>
  );
}

function ConnectionRow(props: {
  connection: IReanaConnection;
  selected: boolean;
  problem?: string;
  onSelect: () => void;
  onCheck: () => void;
  commands: CommandRegistry;
}): JSX.Element {
  const trans = useTranslation();
  const { connection, commands } = props;
  const [tone, status] = describeStatus(connection, props.problem, trans);
  const account = connection.account;
  const identity = account?.email ?? account?.username ?? null;
  const server = serverLabel(connection);
  const args = { connection: connection.name };
  return (
    <li
      className={`jp-ReanaOpenbis-connection${props.selected ? ' jp-mod-selected' : ''}`}
      aria-current={props.selected ? 'true' : undefined}
    >
      <div className="jp-ReanaOpenbis-connectionHeader">
        <button
          className="jp-ReanaOpenbis-link jp-ReanaOpenbis-connectionName"
          title={trans.__('Show the runs of %1', connection.name)}
          onClick={props.onSelect}
        >
          {connection.name}
        </button>
        {connection.readOnly && <span className="jp-ReanaOpenbis-tag">{trans.__('preset')}</span>}
        {server && (
          <span
            className="jp-ReanaOpenbis-tag"
            title={trans.__(
              'Server capabilities: %1',
              connection.api?.capabilities.join(', ') ||
                trans.__('none declared (REANA 0.9 protocol)')
            )}
          >
            {server}
          </span>
        )}
        <span className="jp-ReanaOpenbis-hoverActions">
          <IconButton
            label={trans.__('Check the access token of %1', connection.name)}
            icon={refreshIcon}
            onClick={props.onCheck}
            disabled={!connection.hasToken}
          />
          <IconButton
            label={trans.__('Edit %1', connection.name)}
            icon={editIcon}
            onClick={() => void commands.execute(CommandIDs.reanaEditConnection, args)}
          />
          {!connection.readOnly && (
            <IconButton
              label={trans.__('Delete %1', connection.name)}
              icon={deleteIcon}
              onClick={() => void commands.execute(CommandIDs.reanaDeleteConnection, args)}
            />
          )}
        </span>
      </div>
      <div className="jp-ReanaOpenbis-connectionLine">
        <StatusBadge tone={tone} label={status} />
        <span className="jp-ReanaOpenbis-connectionUrl" title={connection.url}>
          {connection.url}
        </span>
      </div>
      {identity && (
        <div className="jp-ReanaOpenbis-connectionUrl">{trans.__('Signed in as %1', identity)}</div>
      )}
      {props.problem && (
        <div className="jp-ReanaOpenbis-error" role="alert">
          {props.problem}
        </div>
      )}
      {!connection.verifyCertificates && (
        <div className="jp-ReanaOpenbis-connectionWarning">
          {trans.__('Server certificate not checked')}
        </div>
      )}
    </li>
  );
}

function describeStatus(
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
