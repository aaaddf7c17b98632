import { LabIcon } from '@jupyterlab/ui-components';

import keySvg from '../style/icons/key.svg';
import logoSvg from '../style/icons/reana-openbis.svg';
import openbisSvg from '../style/icons/openbis.svg';
import reanaSvg from '../style/icons/reana.svg';
import transfersSvg from '../style/icons/transfers.svg';

/** A data store and a "run" arrow: openBIS data going into REANA workflows (settings, views). */
export const reanaOpenbisIcon = new LabIcon({
  name: 'reana-openbis-lab:logo',
  svgstr: logoSvg
});

/** A data store: the openBIS panel's tab. */
export const openbisIcon = new LabIcon({ name: 'reana-openbis-lab:openbis', svgstr: openbisSvg });

/** Steps joined into a workflow: the REANA panel's tab. */
export const reanaIcon = new LabIcon({ name: 'reana-openbis-lab:reana', svgstr: reanaSvg });

/** Up and down: transfers in the status bar and their view. */
export const transfersIcon = new LabIcon({
  name: 'reana-openbis-lab:transfers',
  svgstr: transfersSvg
});

/** A key: the secrets REANA gives to every job of a user. */
export const secretsIcon = new LabIcon({
  name: 'reana-openbis-lab:secrets',
  svgstr: keySvg
});
