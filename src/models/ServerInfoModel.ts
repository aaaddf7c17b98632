import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError, requestAPI } from '../request';
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
    this._serverSettings = options.serverSettings;
    this._frontendVersion = options.frontendVersion ?? FRONTEND_VERSION;
  }

  get handshake(): Handshake {
    return this._handshake;
  }

  get handshakeChanged(): ISignal<IServerInfoModel, Handshake> {
    return this._handshakeChanged;
  }

  check(): Promise<Handshake> {
    if (!this._pending) {
      this._pending = this._ask().then(handshake => {
        this._pending = null;
        this._handshake = handshake;
        this._handshakeChanged.emit(handshake);
        return handshake;
      });
    }
    return this._pending;
  }

  private async _ask(): Promise<Handshake> {
    let info: unknown;
    try {
      info = await requestAPI<unknown>('info', { method: 'GET' }, this._serverSettings);
    } catch (error) {
      return handshakeFromError(error);
    }
    if (!isServerInfo(info)) {
      // Another server extension answering on our route, or a proxy's error page.
      return { status: 'missing', reason: 'not-found' };
    }
    if (!versionsMatch(this._frontendVersion, info.version)) {
      return {
        status: 'mismatch',
        serverVersion: info.version,
        frontendVersion: this._frontendVersion,
        info
      };
    }
    return { status: 'ready', info };
  }

  private readonly _serverSettings: ServerConnection.ISettings;
  private readonly _frontendVersion: string;
  private _handshake: Handshake = { status: 'checking' };
  private _pending: Promise<Handshake> | null = null;
  private readonly _handshakeChanged = new Signal<IServerInfoModel, Handshake>(this);
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
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'failed', httpStatus: 0, message };
}

export namespace ServerInfoModel {
  export interface IOptions {
    /** The application's server settings (base URL, token, fetch). */
    serverSettings: ServerConnection.ISettings;
    /** The version to compare with; this package's own version unless a test says otherwise. */
    frontendVersion?: string;
  }
}
