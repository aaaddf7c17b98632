import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError, messageOf, requestAPI } from '../request';
import { Handshake, IServerInfo, IServerInfoModel } from '../tokens';
import { FRONTEND_VERSION, versionsMatch } from '../version';

/**
 * The version handshake with the server extension.
 *
 * A frontend built for one release talking to a server extension of another gives
 * confusing failures much later; checking once at start turns them into one clear
 * message at the place the user looks.
 */
export class ServerInfoModel implements IServerInfoModel {
  constructor(options: ServerInfoModel.IOptions) {
    this.#serverSettings = options.serverSettings;
    this.#frontendVersion = options.frontendVersion ?? FRONTEND_VERSION;
  }

  get handshake(): Handshake {
    return this.#handshake;
  }

  get handshakeChanged(): ISignal<IServerInfoModel, Handshake> {
    return this.#handshakeChanged;
  }

  check(): Promise<Handshake> {
    if (!this.#pending) {
      this.#pending = this.#ask().then(handshake => {
        this.#pending = null;
        this.#handshake = handshake;
        this.#handshakeChanged.emit(handshake);
        return handshake;
      });
    }
    return this.#pending;
  }

  async #ask(): Promise<Handshake> {
    let info: unknown;
    try {
      info = await requestAPI<unknown>('info', { method: 'GET' }, this.#serverSettings);
    } catch (error) {
      return handshakeFromError(error);
    }
    if (!isServerInfo(info)) {
      // Another server extension answering on our route, or a proxy's error page.
      return { status: 'missing', reason: 'not-found' };
    }
    if (!versionsMatch(this.#frontendVersion, info.version)) {
      return {
        status: 'mismatch',
        serverVersion: info.version,
        frontendVersion: this.#frontendVersion,
        info
      };
    }
    return { status: 'ready', info };
  }

  readonly #serverSettings: ServerConnection.ISettings;
  readonly #frontendVersion: string;
  #handshake: Handshake = { status: 'checking' };
  #pending: Promise<Handshake> | null = null;
  readonly #handshakeChanged = new Signal<IServerInfoModel, Handshake>(this);
}

function isServerInfo(value: unknown): value is IServerInfo {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { name, version, capabilities } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    typeof version === 'string' &&
    typeof capabilities === 'object' &&
    capabilities !== null
  );
}

function handshakeFromError(error: unknown): Handshake {
  if (error instanceof ApiError && error.status === 404) {
    return { status: 'missing', reason: 'not-found' };
  }
  if (error instanceof ServerConnection.NetworkError) {
    return { status: 'missing', reason: 'network' };
  }
  if (error instanceof ApiError) {
    return { status: 'failed', httpStatus: error.status, message: error.message };
  }
  return { status: 'failed', httpStatus: 0, message: messageOf(error) };
}

export namespace ServerInfoModel {
  export interface IOptions {
    /** The application's server settings (base URL, token, fetch). */
    serverSettings: ServerConnection.ISettings;
    /** The version to compare with; this package's own version unless a test says otherwise. */
    frontendVersion?: string;
  }
}
