import React from 'react';
import { Handshake } from '../tokens';
import { useTranslation } from './translation';

/** A shell command: the same in every language. */
const LIST_SERVER_EXTENSIONS = 'jupyter server extension list';

/** The handshake outcomes that keep the panel from working. */
export type HandshakeProblem = Extract<
  Handshake,
  { status: 'missing' } | { status: 'mismatch' } | { status: 'failed' }
>;

/**
 * Why the panel cannot work, and the one thing to do about it.
 *
 * Worded for the person who installed the extension: each case names the command or the
 * versions they need, so nobody has to read the browser console.
 */
export function HandshakeNotice(props: { handshake: HandshakeProblem }): JSX.Element {
  const trans = useTranslation();
  const { handshake } = props;
  let title: string;
  let body: JSX.Element;
  switch (handshake.status) {
    case 'missing':
      if (handshake.reason === 'network') {
        title = trans.__('Jupyter server unreachable');
        body = (
          <p>
            {trans.__(
              'The Jupyter server does not answer. Check that it is still running, then refresh this panel.'
            )}
          </p>
        );
      } else {
        title = trans.__('Server extension not running');
        body = (
          <>
            <p>
              {trans.__(
                'The reana_openbis_lab server extension is not running, so this panel cannot reach openBIS or REANA.'
              )}
            </p>
            <p>
              {trans.__('Check that it is installed and enabled with:')}{' '}
              <code>{LIST_SERVER_EXTENSIONS}</code>
            </p>
            <p>{trans.__('Then restart JupyterLab.')}</p>
          </>
        );
      }
      break;
    case 'mismatch':
      title = trans.__('Version mismatch');
      body = (
        <>
          <p>
            {trans.__(
              'The server extension is version %1 but this panel is version %2.',
              handshake.serverVersion,
              handshake.frontendVersion
            )}
          </p>
          <p>
            {trans.__(
              'Reinstall reana_openbis_lab so both parts come from the same release, then restart JupyterLab and reload this page.'
            )}
          </p>
        </>
      );
      break;
    case 'failed':
      title = trans.__('Server extension error');
      body = (
        <p>
          {trans.__(
            'The server extension answered with error %1: %2',
            handshake.httpStatus,
            handshake.message
          )}
        </p>
      );
      break;
  }
  return (
    <div className="jp-ReanaOpenbis-notice" role="alert">
      <h3 className="jp-ReanaOpenbis-noticeTitle">{title}</h3>
      {body}
    </div>
  );
}
