import React from 'react';
import { UseSignal } from '@jupyterlab/ui-components';

import { ConnectionList, Handshake, IConnectionsModel, IServerInfoModel } from '../tokens';
import { EmptyState } from './EmptyState';
import { HandshakeNotice } from './HandshakeNotice';
import { ServerVersion } from './ServerVersion';
import { useTranslation } from './translation';

/**
 * Above the sections: why the panel cannot work yet, or the first steps while there is no
 * connection at all; otherwise nothing.
 */
export function PanelStatus(props: {
  serverInfo: IServerInfoModel;
  connections: IConnectionsModel;
}): JSX.Element {
  const { serverInfo, connections } = props;
  return (
    <UseSignal signal={serverInfo.handshakeChanged} initialArgs={serverInfo.handshake}>
      {(_, handshake) => (
        <UseSignal signal={connections.changed}>
          {() => (
            <StatusView handshake={handshake ?? serverInfo.handshake} connections={connections} />
          )}
        </UseSignal>
      )}
    </UseSignal>
  );
}

function StatusView(props: { handshake: Handshake; connections: IConnectionsModel }): JSX.Element {
  const trans = useTranslation();
  const { handshake, connections } = props;
  switch (handshake.status) {
    case 'checking':
      return (
        <p className="jp-ReanaOpenbis-checking" role="status">
          {trans.__('Contacting the server extension…')}
        </p>
      );
    case 'ready':
      return <>{hasNone(connections.openbis) && hasNone(connections.reana) && <EmptyState />}</>;
    default:
      return <HandshakeNotice handshake={handshake} />;
  }
}

/** Known to be empty (or not offered): nothing to list, nothing failed, nothing pending. */
function hasNone<T>(list: ConnectionList<T>): boolean {
  return (
    list.status === 'unavailable' || (list.status === 'ready' && list.connections.length === 0)
  );
}

/** Below the sections: the server extension's version, useful in bug reports. */
export function PanelFooter(props: { serverInfo: IServerInfoModel }): JSX.Element {
  const { serverInfo } = props;
  return (
    <UseSignal signal={serverInfo.handshakeChanged} initialArgs={serverInfo.handshake}>
      {(_, handshake) => {
        const current = handshake ?? serverInfo.handshake;
        return current.status === 'ready' ? <ServerVersion info={current.info} /> : <></>;
      }}
    </UseSignal>
  );
}
