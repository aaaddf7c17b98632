import { ServerConnection } from '@jupyterlab/services';

import { ApiError } from '../request';

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

/** Map any failure of a server call to a problem the UI can act on. */
export function problemOf(error: unknown): IProblem {
  if (error instanceof ApiError) {
    const code = error.code;
    switch (error.status) {
      case 401:
        return { message: error.message, kind: 'login-required', code };
      case 403:
        return { message: error.message, kind: 'rejected', code };
      case 404:
        return { message: error.message, kind: 'not-found', code };
      case 409:
        return { message: error.message, kind: 'conflict', code };
      default:
        return { message: error.message, kind: 'other', code };
    }
  }
  if (error instanceof ServerConnection.NetworkError) {
    return { message: error.message, kind: 'network' };
  }
  return { message: error instanceof Error ? error.message : String(error), kind: 'other' };
}
