import React from 'react';

/**
 * Label/value pairs of a detail view (a dataset, a workflow run) as a description list;
 * pairs without a value are left out, so views can list every fact they might know.
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
            <dd>{value}</dd>
          </React.Fragment>
        ))}
    </dl>
  );
}
