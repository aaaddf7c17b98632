import { ServerConnection } from '@jupyterlab/services';

import { ApiError, messageOf } from '../request';

/**
 * What went wrong, said for a user: the server's own message (it already names the party
 * at fault), plus the code that decides which way out the UI offers.
 */
export interface IProblem {
  readonly message: string;
  /**
   * `login-required`: the openBIS session ended and no secret is held (401) — offer
   * "Log in again"; `rejected`: openBIS refused the credentials (403); `not-found`;
   * `conflict` (409); `network`: the Jupyter server is unreachable; `other`.
   */
  readonly kind: 'login-required' | 'rejected' | 'not-found' | 'conflict' | 'network' | 'other';
  /** The server's stable code, when it gave one. */
  readonly code?: string;
}

const KIND_OF_STATUS: Record<number, IProblem['kind'] | undefined> = {
  401: 'login-required',
  403: 'rejected',
  404: 'not-found',
  409: 'conflict'
};

/** Map any failure of a server call to a problem the UI can act on. */
export function problemOf(error: unknown): IProblem {
  const message = messageOf(error);
  if (error instanceof ApiError) {
    return { message, kind: KIND_OF_STATUS[error.status] ?? 'other', code: error.code };
  }
  return { message, kind: error instanceof ServerConnection.NetworkError ? 'network' : 'other' };
}
