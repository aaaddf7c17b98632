import React from 'react';
import { addIcon, Button } from '@jupyterlab/ui-components';

import { useSignal } from '../../components/hooks';
import { ListState } from '../../components/ListState';
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
  const list = connections.openbis;
  const actions = props.actions();
  return (
    <>
      <div className="jp-ReanaOpenbis-partHeader">
        <h2>{trans.__('openBIS')}</h2>
        <Button onClick={props.onAdd}>
          <addIcon.react tag="span" elementSize="normal" />
          {trans.__('Add openBIS connection…')}
        </Button>
      </div>
      <ListState list={list} service={trans.__('openBIS')} />
      {list.status === 'ready' &&
        (list.connections.length === 0 ? (
          <p className="jp-ReanaOpenbis-muted">{trans.__('No openBIS connection yet.')}</p>
        ) : (
          <ul className="jp-ReanaOpenbis-connectionList" aria-label={trans.__('openBIS')}>
            {list.connections.map(connection => (
              <OpenbisConnectionItem
                key={connection.name}
                connection={connection}
                actions={actions}
                browsing={connection.name === browser.connection}
              />
            ))}
          </ul>
        ))}
    </>
  );
}
