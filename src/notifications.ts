import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { Handshake } from './tokens';

/**
 * Tell the user once, at start, that the extension cannot work, wherever they look.
 *
 * An unreachable Jupyter server is left out: JupyterLab reports that itself.
 */
export function notifyHandshakeProblem(
  handshake: Handshake,
  trans: TranslationBundle,
  showDetails: () => void
): void {
  let message: string;
  switch (handshake.status) {
    case 'missing':
      if (handshake.reason === 'network') {
        return;
      }
      message = trans.__('The reana_openbis_lab server extension is not running.');
      break;
    case 'mismatch':
      message = trans.__(
        'reana_openbis_lab: the server extension is version %1 but the frontend is version %2.',
        handshake.serverVersion,
        handshake.frontendVersion
      );
      break;
    case 'failed':
      message = trans.__('reana_openbis_lab server extension error: %1', handshake.message);
      break;
    default:
      return;
  }
  Notification.warning(message, {
    autoClose: false,
    actions: [{ label: trans.__('Show details'), callback: showDetails }]
  });
}
