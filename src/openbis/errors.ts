import { ServerConnection } from '@jupyterlab/services';

import { ApiError, messageOf } from '../request';

/**
 * What went wrong, said for a user: the server's own message (it already names the party
 * at fault), plus the code that decides which way out the UI offers.
 */
export interface IProblem {
  readonly message: string;
  /**
   * `login-required`: the openBIS session ended and no secret is held (code
   * `login_required`) — offer "Log in again"; `rejected`: openBIS refused the credentials
   * or access (`credentials_rejected`, `forbidden`); `not-found`;
   * `conflict` (409); `network`: the Jupyter server is unreachable; `other`.
   */
  readonly kind: 'login-required' | 'rejected' | 'not-found' | 'conflict' | 'network' | 'other';
  /** The server's stable code, when it gave one. */
  readonly code?: string;
}

/**
 * The extension's own codes decide, not the status alone: a 401 or 403 without them comes
 * from elsewhere (JupyterHub while the server stops, a proxy) and asks for no login.
 */
const KIND_OF_CODE: Record<string, IProblem['kind'] | undefined> = {
  login_required: 'login-required',
  credentials_rejected: 'rejected',
  forbidden: 'rejected'
};

const KIND_OF_STATUS: Record<number, IProblem['kind'] | undefined> = {
  404: 'not-found',
  409: 'conflict'
};

/** Map any failure of a server call to a problem the UI can act on. */
export function problemOf(error: unknown): IProblem {
  const message = messageOf(error);
  if (error instanceof ApiError) {
    const kind =
      (error.code ? KIND_OF_CODE[error.code] : undefined) ??
      KIND_OF_STATUS[error.status] ??
      'other';
    return { message, kind, code: error.code };
  }
  return { message, kind: error instanceof ServerConnection.NetworkError ? 'network' : 'other' };
}
