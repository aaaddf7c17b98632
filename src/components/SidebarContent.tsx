import { UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { ConnectionsModel } from '../models/ConnectionsModel';
import { Handshake, IServerInfoModel } from '../tokens';
import { ConnectionsOverview } from './ConnectionsOverview';
import { HandshakeNotice } from './HandshakeNotice';
import { ServerVersion } from './ServerVersion';
import { useTranslation } from './translation';

/** The panel body: the handshake outcome decides what the user can do. */
export function SidebarContent(props: {
  serverInfo: IServerInfoModel;
  connections: ConnectionsModel;
}): JSX.Element {
  const { serverInfo, connections } = props;
  return (
    <UseSignal signal={serverInfo.handshakeChanged} initialArgs={serverInfo.handshake}>
      {(_, handshake) => (
        <HandshakeView handshake={handshake ?? serverInfo.handshake} connections={connections} />
      )}
    </UseSignal>
  );
}

function HandshakeView(props: {
  handshake: Handshake;
  connections: ConnectionsModel;
}): JSX.Element {
  const trans = useTranslation();
  const { handshake } = props;
  switch (handshake.status) {
    case 'checking':
      return (
        <p className="jp-ReanaOpenbis-checking" role="status">
          {trans.__('Contacting the server extension…')}
        </p>
      );
    case 'ready':
      return (
        <div className="jp-ReanaOpenbis-ready">
          <ConnectionsOverview model={props.connections} />
          <ServerVersion info={handshake.info} />
        </div>
      );
    default:
      return <HandshakeNotice handshake={handshake} />;
  }
}
