import { ReadonlyJSONObject, Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

/** The answer of `GET /reana-openbis-lab/info`. */
export interface IServerInfo {
  /** The Python package name, `reana_openbis_lab`. */
  readonly name: string;
  /** The Python package version. */
  readonly version: string;
  /** What this installation can do, e.g. `reanaClient: {available, python}`. */
  readonly capabilities: ReadonlyJSONObject;
}

/**
 * Where the frontend/server version handshake stands.
 *
 * The states are data, not text: the UI words them in the user's language.
 */
export type Handshake =
  /** No answer yet. */
  | { readonly status: 'checking' }
  /** Server extension present, same release as the frontend. */
  | { readonly status: 'ready'; readonly info: IServerInfo }
  /** The route is absent (404) or the Jupyter server is unreachable. */
  | { readonly status: 'missing'; readonly reason: 'not-found' | 'network' }
  /** Server extension present but from another release: a stale install or a server not restarted. */
  | {
      readonly status: 'mismatch';
      readonly serverVersion: string;
      readonly frontendVersion: string;
      readonly info: IServerInfo;
    }
  /** Any other failure; `message` is the server's own words. */
  | { readonly status: 'failed'; readonly httpStatus: number; readonly message: string };

/** Owns the version handshake with the server extension. */
export interface IServerInfoModel {
  /** The latest handshake outcome; `checking` until the first answer. */
  readonly handshake: Handshake;
  /**
   * Emitted with the new outcome after every completed check, also when it did not
   * change, so a "refresh" gesture always gets visible feedback.
   */
  readonly handshakeChanged: ISignal<IServerInfoModel, Handshake>;
  /**
   * Ask the server again. Concurrent calls share one request.
   *
   * Never rejects: every failure is a `Handshake` state.
   */
  check(): Promise<Handshake>;
}

/** The server handshake model, for any plugin that needs the server's capabilities. */
export const IServerInfoModel = new Token<IServerInfoModel>(
  'reana-openbis-lab:IServerInfoModel',
  'The version handshake with the reana_openbis_lab server extension and its capabilities.'
);
