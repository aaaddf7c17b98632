import React from 'react';

import { ConnectionList } from '../tokens';
import { useTranslation } from './translation';

/** One service's connections: its list (named `title` for assistive technology), or why there is none. */
export function ConnectionSection<T extends { name: string }>(props: {
  title: string;
  list: ConnectionList<T>;
  /** Said when the list is empty. */
  emptyText: string;
  renderItem: (connection: T) => JSX.Element;
}): JSX.Element | null {
  const trans = useTranslation();
  const { title, list } = props;
  if (list.status === 'unavailable') {
    return null;
  }
  let body: JSX.Element;
  switch (list.status) {
    case 'loading':
      body = <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>;
      break;
    case 'failed':
      body = (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {trans.__('Could not list the connections: %1', list.message)}
        </p>
      );
      break;
    case 'ready':
      body =
        list.connections.length === 0 ? (
          <p className="jp-ReanaOpenbis-muted">{props.emptyText}</p>
        ) : (
          <ul className="jp-ReanaOpenbis-connectionList" aria-label={title}>
            {list.connections.map(connection => (
              <React.Fragment key={connection.name}>{props.renderItem(connection)}</React.Fragment>
            ))}
          </ul>
        );
      break;
  }
  return <section className="jp-ReanaOpenbis-section">{body}</section>;
}
