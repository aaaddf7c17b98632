import { UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { ConnectionsModel } from '../models/ConnectionsModel';
import { ConnectionList } from '../tokens';
import { ConnectionSection } from './ConnectionSection';
import { EmptyState } from './EmptyState';
import { OpenbisConnectionItem } from './OpenbisConnectionItem';
import { ReanaConnectionItem } from './ReanaConnectionItem';
import { useTranslation } from './translation';

/** Both services' connections, or the first-steps text while there is none at all. */
export function ConnectionsOverview(props: { model: ConnectionsModel }): JSX.Element {
  return (
    <UseSignal signal={props.model.changed}>{() => <Overview model={props.model} />}</UseSignal>
  );
}

function Overview(props: { model: ConnectionsModel }): JSX.Element {
  const trans = useTranslation();
  const { openbis, reana } = props.model;
  if (hasNone(openbis) && hasNone(reana)) {
    return <EmptyState />;
  }
  return (
    <>
      <ConnectionSection
        title={trans.__('openBIS')}
        list={openbis}
        emptyText={trans.__('No openBIS connection yet.')}
        renderItem={connection => <OpenbisConnectionItem connection={connection} />}
      />
      <ConnectionSection
        title={trans.__('REANA')}
        list={reana}
        emptyText={trans.__('No REANA connection yet.')}
        renderItem={connection => <ReanaConnectionItem connection={connection} />}
      />
    </>
  );
}

/** Known to be empty (or not offered): nothing to list, nothing failed, nothing pending. */
function hasNone<T>(list: ConnectionList<T>): boolean {
  return (
    list.status === 'unavailable' || (list.status === 'ready' && list.connections.length === 0)
  );
}
