import React from 'react';

import { ConnectionList } from '../tokens';
import { useTranslation } from './translation';

/**
 * What stands in for a service's connections while they are not there: loading, why the
 * list failed, or that this server does not offer the service. `null` once the list is ready.
 */
export function ListState(props: {
  list: ConnectionList<unknown>;
  service: string;
}): JSX.Element | null {
  const trans = useTranslation();
  const { list } = props;
  switch (list.status) {
    case 'ready':
      return null;
    case 'loading':
      return <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>;
    case 'unavailable':
      return (
        <p className="jp-ReanaOpenbis-muted">
          {trans.__('This server does not offer %1.', props.service)}
        </p>
      );
    case 'failed':
      return (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {trans.__('Could not list the connections: %1', list.message)}
        </p>
      );
  }
}
