import { UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { Handshake, IServerInfoModel } from '../tokens';
import { EmptyState } from './EmptyState';
import { HandshakeNotice } from './HandshakeNotice';
import { ServerVersion } from './ServerVersion';
import { useTranslation } from './translation';

/** The panel body: the handshake outcome decides what the user can do. */
export function SidebarContent(props: { serverInfo: IServerInfoModel }): JSX.Element {
  const { serverInfo } = props;
  return (
    <UseSignal signal={serverInfo.handshakeChanged} initialArgs={serverInfo.handshake}>
      {(_, handshake) => <HandshakeView handshake={handshake ?? serverInfo.handshake} />}
    </UseSignal>
  );
}

function HandshakeView(props: { handshake: Handshake }): JSX.Element {
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
          <EmptyState />
          <ServerVersion info={handshake.info} />
        </div>
      );
    default:
      return <HandshakeNotice handshake={handshake} />;
  }
}
