import React from 'react';

import { ConnectionsPart } from '../../components/ConnectionsPart';
import { useSignal } from '../../components/hooks';
import {
  IOpenbisConnectionActions,
  OpenbisConnectionItem
} from '../../components/OpenbisConnectionItem';
import { useTranslation } from '../../components/translation';
import { IConnectionsModel } from '../../tokens';
import { BrowserModel } from '../BrowserModel';

/**
 * The openBIS part of the connections view: every connection with all it can do (log in
 * or out, browse, mount, edit, delete), and adding one.
 */
export function OpenbisConnectionsPart(props: {
  connections: IConnectionsModel;
  browser: BrowserModel;
  /** Read at each render: what can be done depends on the server's capabilities. */
  actions: () => IOpenbisConnectionActions;
  onAdd: () => void;
}): JSX.Element {
  const trans = useTranslation();
  const { connections, browser } = props;
  useSignal(connections.changed, browser.changed);
  const actions = props.actions();
  return (
    <ConnectionsPart
      service={trans.__('openBIS')}
      addLabel={trans.__('Add openBIS connection…')}
      onAdd={props.onAdd}
      list={connections.openbis}
      renderItem={connection => (
        <OpenbisConnectionItem
          connection={connection}
          actions={actions}
          browsing={connection.name === browser.connection}
        />
      )}
    />
  );
}
