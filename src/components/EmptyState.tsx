import React from 'react';
import { addIcon, Button } from '@jupyterlab/ui-components';

import { useTranslation } from './translation';

/**
 * What a panel is for and its first step, while its service has no connection. When no
 * service has one, it says what the whole extension is for first.
 */
export function EmptyState(props: {
  /** Whether neither openBIS nor REANA has a connection yet. */
  firstSteps: boolean;
  title: string;
  text: string;
  addLabel: string;
  onAdd: () => void;
}): JSX.Element {
  const trans = useTranslation();
  return (
    <div className="jp-ReanaOpenbis-emptyState">
      {props.firstSteps && (
        <>
          <h3>{trans.__('Bring your openBIS data to REANA')}</h3>
          <p>
            {trans.__(
              'Browse openBIS datasets, download them into your workspace, run REANA workflows on them and upload the results back with their provenance.'
            )}
          </p>
        </>
      )}
      {!props.firstSteps && <h3>{props.title}</h3>}
      <p>{props.text}</p>
      <Button onClick={props.onAdd}>
        <addIcon.react tag="span" elementSize="normal" />
        {props.addLabel}
      </Button>
    </div>
  );
}

/** Known to have no connection (or not to offer the service): nothing to list, nothing pending. */
export function hasNone(list: { status: string; connections?: readonly unknown[] }): boolean {
  return list.status === 'unavailable' || (list.status === 'ready' && !list.connections?.length);
}
