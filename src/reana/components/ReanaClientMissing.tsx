import React from 'react';
import { Clipboard } from '@jupyterlab/apputils';
import { copyIcon } from '@jupyterlab/ui-components';

import { useTranslation } from '../../components/translation';

/** Why validating or running needs a setup step, and the command to copy. */
export function ReanaClientMissing(props: { command: string }): JSX.Element {
  const trans = useTranslation();
  return (
    <div className="jp-ReanaOpenbis-notice" role="alert">
      <p>
        {trans.__(
          'Validating and running REANA specifications needs reana-client, which is not installed for this Jupyter server. Run this in a terminal, then restart JupyterLab:'
        )}
      </p>
      <p className="jp-ReanaOpenbis-command">
        <code>{props.command}</code>
        <button
          className="jp-Button jp-mod-minimal jp-ReanaOpenbis-iconButton"
          title={trans.__('Copy the command')}
          aria-label={trans.__('Copy the command')}
          onClick={() => Clipboard.copyToSystem(props.command)}
        >
          <copyIcon.react tag="span" />
        </button>
      </p>
      <p className="jp-ReanaOpenbis-muted">
        {trans.__('Browsing runs, logs and workspaces works without it.')}
      </p>
    </div>
  );
}
