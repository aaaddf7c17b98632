import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { notifyHandshakeProblem } from '../notifications';
import { Handshake } from '../tokens';

const trans = nullTranslator.load('reana_openbis_lab');
const INFO = { name: 'reana_openbis_lab', version: '0.1.0', capabilities: {} };

describe('notifyHandshakeProblem', () => {
  afterEach(() => {
    Notification.manager.dismiss();
  });

  it('warns about a missing server extension and offers to show the details', () => {
    // Given a handshake that found no server extension
    const showDetails = jest.fn();

    // When the problem is notified
    notifyHandshakeProblem({ status: 'missing', reason: 'not-found' }, trans, showDetails);

    // Then one sticky warning says so, and its action opens the details
    const [notification] = Notification.manager.notifications;
    expect(Notification.manager.count).toBe(1);
    expect(notification.type).toBe('warning');
    expect(notification.message).toBe('The reana_openbis_lab server extension is not running.');
    expect(notification.options.autoClose).toBe(false);
    const [action] = notification.options.actions ?? [];
    expect(action.label).toBe('Show details');
    action.callback(new MouseEvent('click'));
    expect(showDetails).toHaveBeenCalledTimes(1);
  });

  it('names both versions of a mismatch', () => {
    const handshake: Handshake = {
      status: 'mismatch',
      serverVersion: '0.0.9',
      frontendVersion: '0.1.0',
      info: INFO
    };

    notifyHandshakeProblem(handshake, trans, jest.fn());

    expect(Notification.manager.notifications[0].message).toBe(
      'reana_openbis_lab: the server extension is version 0.0.9 but the frontend is version 0.1.0.'
    );
  });

  it.each<[string, Handshake]>([
    ['a working server extension', { status: 'ready', info: INFO }],
    ['a pending handshake', { status: 'checking' }],
    // JupyterLab itself reports a lost connection to the Jupyter server.
    ['an unreachable Jupyter server', { status: 'missing', reason: 'network' }]
  ])('stays quiet for %s', (_, handshake) => {
    notifyHandshakeProblem(handshake, trans, jest.fn());

    expect(Notification.manager.count).toBe(0);
  });
});
