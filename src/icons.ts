import { LabIcon } from '@jupyterlab/ui-components';

import logoSvg from '../style/icons/reana-openbis.svg';

/** A data store and a "run" arrow: openBIS data going into REANA workflows. */
export const reanaOpenbisIcon = new LabIcon({
  name: 'reana-openbis-lab:logo',
  svgstr: logoSvg
});
