import React from 'react';

import type { ReactNode } from 'react';

import { IServerInfoModel } from '../tokens';
import { HandshakeNotice } from './HandshakeNotice';
import { useSignal } from './hooks';
import { useTranslation } from './translation';

/**
 * Shows `children` once the server extension answered the handshake; before, that it is
 * being asked, and after a failed answer, why nothing can work and what to do.
 */
export function HandshakeGate(props: {
  serverInfo: IServerInfoModel;
  children: ReactNode;
}): JSX.Element {
  const trans = useTranslation();
  const { serverInfo } = props;
  useSignal(serverInfo.handshakeChanged);
  const handshake = serverInfo.handshake;
  switch (handshake.status) {
    case 'ready':
      return <>{props.children}</>;
    case 'checking':
      return (
        <p className="jp-ReanaOpenbis-checking" role="status">
          {trans.__('Contacting the server extension…')}
        </p>
      );
    default:
      return <HandshakeNotice handshake={handshake} />;
  }
}
