import React from 'react';
import { addIcon, Button } from '@jupyterlab/ui-components';

import { useSignal } from '../../components/hooks';
import { ListState } from '../../components/ListState';
import { useTranslation } from '../../components/translation';
import { ReanaSectionModel } from '../ReanaSectionModel';
import { IReanaConnectionActions, ReanaConnectionItem } from './ReanaConnectionItem';

/**
 * The REANA part of the connections view: every connection with its token's state and what
 * can be done with it, and adding one.
 */
export function ReanaConnectionsPart(props: {
  model: ReanaSectionModel;
  actions: IReanaConnectionActions;
  onAdd: () => void;
}): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  useSignal(model.changed);
  const list = model.connections.reana;
  return (
    <>
      <div className="jp-ReanaOpenbis-partHeader">
        <h2>{trans.__('REANA')}</h2>
        <Button onClick={props.onAdd}>
          <addIcon.react tag="span" elementSize="normal" />
          {trans.__('Add REANA connection…')}
        </Button>
      </div>
      <ListState list={list} service={trans.__('REANA')} />
      {list.status === 'ready' &&
        (list.connections.length === 0 ? (
          <p className="jp-ReanaOpenbis-muted">{trans.__('No REANA connection yet.')}</p>
        ) : (
          <ul className="jp-ReanaOpenbis-connectionList" aria-label={trans.__('REANA')}>
            {list.connections.map(connection => (
              <ReanaConnectionItem
                key={connection.name}
                connection={connection}
                problem={model.problem(connection.name)}
                selected={connection.name === model.selected}
                actions={actions}
              />
            ))}
          </ul>
        ))}
    </>
  );
}
