import React from 'react';

import { ConnectionsPart } from '../../components/ConnectionsPart';
import { useSignal } from '../../components/hooks';
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
  return (
    <ConnectionsPart
      service={trans.__('REANA')}
      addLabel={trans.__('Add REANA connection…')}
      onAdd={props.onAdd}
      list={model.connections.reana}
      renderItem={connection => (
        <ReanaConnectionItem
          connection={connection}
          problem={model.problem(connection.name)}
          selected={connection.name === model.selected}
          actions={actions}
        />
      )}
    />
  );
}
