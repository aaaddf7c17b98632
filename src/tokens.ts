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

/** An openBIS connection as `GET /openbis/connections` lists it; never holds a secret. */
export interface IOpenbisConnection {
  readonly name: string;
  /** Server origin, e.g. `https://openbis.example.org:8443`. */
  readonly url: string;
  readonly verifyCertificates: boolean;
  /** `true` for http:// URLs: secrets travel in clear text. */
  readonly insecureHttp: boolean;
  readonly username?: string | null;
  readonly auth: 'password' | 'token';
  /** Configured by the administrator; cannot be changed or deleted. */
  readonly preset: boolean;
  /** A password or token is held in server memory. */
  readonly hasSecret: boolean;
  readonly status: 'connected' | 'disconnected' | 'expired' | 'unreachable';
  readonly loggedInAs?: string | null;
  readonly lastError?: string | null;
  /** Its data store is mounted over SSHFS. */
  readonly isMounted?: boolean;
  /** Where it is mounted, relative to the server root. */
  readonly mountpoint?: string | null;
}

/** CPU in milliseconds, disk in bytes, and REANA's words for them. */
export interface IReanaMeasure {
  readonly raw: number | null;
  readonly humanReadable: string | null;
}

/** One resource of a REANA quota (`ReanaQuotaResource`). */
export interface IReanaQuotaResource {
  readonly usage: IReanaMeasure | null;
  /** Null when the administrators set no limit (REANA then reports usage only). */
  readonly limit: IReanaMeasure | null;
  /** REANA's verdict: warning from 80 % of the limit, critical from 100 %. */
  readonly health: 'healthy' | 'warning' | 'critical' | null;
  readonly percent: number | null;
}

/** The account's quota as the last token check read it (`ReanaQuota`). */
export interface IReanaQuota {
  readonly cpu?: IReanaQuotaResource;
  readonly disk?: IReanaQuotaResource;
}

/** A REANA connection as `GET /reana/connections` lists it; never holds the token. */
export interface IReanaConnection {
  readonly name: string;
  /** Server URL, e.g. `https://reana.cern.ch`. */
  readonly url: string;
  readonly verifyCertificates: boolean;
  /** `config`/`env` connections are presets of the administrator. */
  readonly source: 'user' | 'config' | 'env';
  readonly readOnly: boolean;
  /** An access token is held in server memory. */
  readonly hasToken: boolean;
  /** The environment variable a preset takes its token from, while it is unset (`missingTokenEnv`). */
  readonly missingTokenEnv?: string | null;
  /** What the last successful token check said about the account. */
  readonly account?: {
    readonly email?: string | null;
    readonly fullName?: string | null;
    readonly username?: string | null;
    readonly serverVersion?: string | null;
    /** CPU and disk usage against the limits, as the check read them. */
    readonly quota?: IReanaQuota | null;
  } | null;
  /** What the server declared at the last check (`GET /api/ping`): version, capabilities. */
  readonly api?: {
    readonly version?: string | null;
    readonly capabilities: readonly string[];
  } | null;
  /** Epoch seconds of the last successful token check. */
  readonly checkedAt?: number | null;
}

/**
 * One list of connections as the panel knows it.
 *
 * `unavailable` means this server has no such route (an older or partial server
 * extension): the panel leaves the section out rather than showing an error.
 */
export type ConnectionList<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly connections: readonly T[] }
  | { readonly status: 'unavailable' }
  | { readonly status: 'failed'; readonly message: string };

/**
 * The connections view: a main-area view where connections are added, edited, logged in
 * and out, deleted and mounted. Each service's part (openBIS, REANA) adds itself, so the
 * parts stay separate plugins; the side panels link to it from their connection line.
 */
export interface IConnectionsView {
  /** Add a service's part; lower ranks come first. */
  addPart(part: IConnectionsViewPart): void;
  /** Open the view (or bring it to the front), scrolled to the part with this id. */
  open(part?: string): Promise<void>;
}

/** One service's part of the connections view. */
export interface IConnectionsViewPart {
  /** The service's id (`openbis`, `reana`), to open the view at its part. */
  readonly id: string;
  readonly rank: number;
  /** Rendered inside the view (with the translation context); it follows its own signals. */
  readonly render: () => JSX.Element;
}

/** The connections view, for the parts that add their connections to it. */
export const IConnectionsView = new Token<IConnectionsView>(
  'reana-openbis-lab:IConnectionsView',
  'The main-area view where openBIS and REANA connections are managed.'
);

/** The shared connection lists; see `ConnectionsModel`. */
export interface IConnectionsModel {
  readonly openbis: ConnectionList<IOpenbisConnection>;
  readonly reana: ConnectionList<IReanaConnection>;
  /** Emitted after every refresh, once both lists are up to date. */
  readonly changed: ISignal<IConnectionsModel, void>;
  /** Read both lists now, e.g. after a log-in or an edit. Never rejects. */
  refresh(): Promise<void>;
}

/** The connection lists, for every part that shows or picks a connection. */
export const IConnectionsModel = new Token<IConnectionsModel>(
  'reana-openbis-lab:IConnectionsModel',
  'The openBIS and REANA connections of the reana_openbis_lab server extension, polled.'
);

/** A background job of the server (`Job` in openapi.yaml, event schema `events/job.yaml`). */
export interface IJob {
  readonly id: string;
  /** `openbis-download`, `openbis-upload`, `reana-download`, `reana-upload`, `reana-run`, … */
  readonly kind: string;
  readonly title: string;
  readonly state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  readonly step?: string | null;
  /** Epoch seconds. */
  readonly created?: number;
  readonly started?: number | null;
  readonly finished?: number | null;
  readonly bytesDone?: number;
  readonly bytesTotal?: number | null;
  readonly filesDone?: number;
  readonly filesTotal?: number | null;
  /** Mean bytes per second. */
  readonly speed?: number | null;
  readonly error?: string | null;
  /** A stable code from the closed list in openapi.yaml. */
  readonly errorCode?: string | null;
  readonly result?: ReadonlyJSONObject | null;
  readonly details?: ReadonlyJSONObject;
}

/**
 * Every job of the server, live: from jupyter_server's event stream, with a poll of
 * `GET /jobs` only while the stream is unavailable. Survives a page reload (it re-reads
 * `/jobs` at start).
 */
export interface IJobsModel {
  /** The jobs, newest first. */
  readonly jobs: readonly IJob[];
  /** Emitted with the job whenever one changes (progress, state). */
  readonly jobChanged: ISignal<IJobsModel, IJob>;
  /** Emitted when the list changed as a whole (a job added, cleared, or a fresh read). */
  readonly changed: ISignal<IJobsModel, void>;
  /** Look one job up. */
  get(id: string): IJob | undefined;
  /** Make a job the server just started known at once, before its first event. */
  track(job: IJob): void;
  /**
   * The job's final state, once it has ended: tracks a job the server just started and
   * resolves also when its last event came before its start's answer (a small transfer).
   */
  whenFinished(job: IJob): Promise<IJob>;
  /** Ask the server to cancel a job. @throws ApiError */
  cancel(id: string): Promise<void>;
}

/** The jobs model, for every part that starts or watches a transfer or workflow run. */
export const IJobsModel = new Token<IJobsModel>(
  'reana-openbis-lab:IJobsModel',
  'Live background jobs (transfers, workflow runs) of the reana_openbis_lab server extension.'
);
