import React from 'react';
import { useTranslation } from './translation';

/** What the panel is for and the first step, shown while there is no connection yet. */
export function EmptyState(): JSX.Element {
  const trans = useTranslation();
  return (
    <div className="jp-ReanaOpenbis-emptyState">
      <h3>{trans.__('Bring your openBIS data to REANA')}</h3>
      <p>
        {trans.__(
          'Browse openBIS datasets, download them into your workspace, run REANA workflows on them and upload the results back with their provenance.'
        )}
      </p>
      <p>
        {trans.__(
          'Start by adding an openBIS connection for your data, or a REANA connection for your workflows.'
        )}
      </p>
    </div>
  );
}
