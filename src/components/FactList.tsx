import React from 'react';

import { shownText } from './names';

/**
 * Label/value pairs of a detail view (a dataset, a workflow run) as a description list;
 * pairs without a value are left out, so views can list every fact they might know. Text
 * values come from openBIS and REANA and are shown as they are (`shownText`).
 */
export function FactList(props: {
  facts: readonly (readonly [string, React.ReactNode])[];
}): JSX.Element {
  return (
    <dl className="jp-ReanaOpenbis-facts">
      {props.facts
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <React.Fragment key={label}>
            <dt>{label}</dt>
            <dd>{typeof value === 'string' ? shownText(value) : value}</dd>
          </React.Fragment>
        ))}
    </dl>
  );
}
