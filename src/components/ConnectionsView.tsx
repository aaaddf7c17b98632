import React from 'react';
import { ISignal } from '@lumino/signaling';

import { IConnectionsViewPart, IServerInfoModel } from '../tokens';
import { useSignal } from './hooks';
import { HandshakeGate } from './PanelStatus';
import { ServerVersion } from './ServerVersion';
import { useTranslation } from './translation';

/**
 * The connections view's body: each service's part (its connections with every action)
 * under one heading, and the server extension's version for bug reports.
 */
export function ConnectionsView(props: {
  serverInfo: IServerInfoModel;
  parts: () => readonly IConnectionsViewPart[];
  partsChanged: ISignal<unknown, void>;
}): JSX.Element {
  const trans = useTranslation();
  const { serverInfo } = props;
  useSignal(serverInfo.handshakeChanged, props.partsChanged);
  const handshake = serverInfo.handshake;
  return (
    <div className="jp-ReanaOpenbis-connectionsView">
      <header className="jp-ReanaOpenbis-viewHeader">
        <h1>{trans.__('openBIS & REANA connections')}</h1>
        {handshake.status === 'ready' && <ServerVersion info={handshake.info} />}
      </header>
      <HandshakeGate serverInfo={serverInfo}>
        {props.parts().map(part => (
          <section key={part.id} id={partIdOf(part.id)} className="jp-ReanaOpenbis-connectionsPart">
            {part.render()}
          </section>
        ))}
      </HandshakeGate>
    </div>
  );
}

/** The DOM id of a service's part of the view (`partIdOf('openbis')`), to scroll to it. */
export function partIdOf(service: string): string {
  return `reana-openbis-lab-connections-${service}`;
}
