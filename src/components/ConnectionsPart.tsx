import React from 'react';
import { addIcon, Button } from '@jupyterlab/ui-components';

import type { ReactNode } from 'react';

import { ConnectionList } from '../tokens';
import { ListState } from './ListState';
import { StatusBadge, StatusTone } from './StatusBadge';
import { useTranslation } from './translation';

/**
 * One service's part of the connections view: its heading with the add button, then its
 * connections (`renderItem`, each a `ConnectionCard`), or why there are none.
 */
export function ConnectionsPart<T extends { name: string }>(props: {
  service: string;
  addLabel: string;
  onAdd: () => void;
  list: ConnectionList<T>;
  renderItem: (connection: T) => ReactNode;
}): JSX.Element {
  const trans = useTranslation();
  const { service, list } = props;
  return (
    <>
      <div className="jp-ReanaOpenbis-partHeader">
        <h2>{service}</h2>
        <Button onClick={props.onAdd}>
          <addIcon.react tag="span" elementSize="normal" />
          {props.addLabel}
        </Button>
      </div>
      <ListState list={list} service={service} />
      {list.status === 'ready' &&
        (list.connections.length === 0 ? (
          <p className="jp-ReanaOpenbis-muted">{trans.__('No %1 connection yet.', service)}</p>
        ) : (
          <ul className="jp-ReanaOpenbis-connectionList" aria-label={service}>
            {list.connections.map(connection => (
              <React.Fragment key={connection.name}>{props.renderItem(connection)}</React.Fragment>
            ))}
          </ul>
        ))}
    </>
  );
}

/**
 * A connection in the connections view: its name, whether it is a preset, its state with a
 * dot; `children` below (address, warnings, actions: each service knows its own).
 */
export function ConnectionCard(props: {
  name: string;
  preset: boolean;
  tone: StatusTone;
  status: string;
  /** The one the panel shows. */
  current: boolean;
  /** More tags after "preset" (e.g. the server's version). */
  tags?: ReactNode;
  /** Beside the state, at the end of the first line (icon buttons). */
  headerActions?: ReactNode;
  children: ReactNode;
}): JSX.Element {
  const trans = useTranslation();
  const { name } = props;
  return (
    <li
      className={`jp-ReanaOpenbis-connection${props.current ? ' jp-mod-selected' : ''}`}
      aria-label={name}
    >
      <div className="jp-ReanaOpenbis-connectionHeader">
        <span className="jp-ReanaOpenbis-connectionName" title={name}>
          {name}
        </span>
        {props.preset && <span className="jp-ReanaOpenbis-tag">{trans.__('preset')}</span>}
        {props.tags}
        <StatusBadge tone={props.tone} label={props.status} />
        {props.headerActions}
      </div>
      {props.children}
    </li>
  );
}
