import { ServerConnection } from '@jupyterlab/services';
import { ReadonlyJSONObject } from '@lumino/coreutils';

import { requestAPI } from '../request';
import { IJob, IReanaConnection } from '../tokens';

/**
 * Typed calls of the server extension's REANA routes (`reana_openbis_lab/openapi.yaml`).
 *
 * Every function throws `ApiError` (see `request.ts`) on an error answer and
 * `ServerConnection.NetworkError` when the Jupyter server is unreachable.
 */

/** REANA's run statuses (`ReanaWorkflow.status`). */
export type WorkflowStatus =
  'created' | 'queued' | 'pending' | 'running' | 'finished' | 'failed' | 'stopped' | 'deleted';

/** One run as the workflow list shows it (`ReanaWorkflow`). */
export interface IWorkflow {
  readonly id: string;
  /** REANA's run name, `name.N`. */
  readonly name: string;
  readonly baseName?: string;
  readonly runNumber?: string | null;
  readonly status: WorkflowStatus;
  /** ISO times without zone, as REANA gives them (UTC). */
  readonly created?: string | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly stoppedAt?: string | null;
  readonly progress?: {
    readonly total?: number | null;
    readonly finished?: number | null;
    readonly running?: number | null;
    readonly failed?: number | null;
    readonly currentStep?: string | null;
    readonly currentCommand?: string | null;
  } | null;
  readonly size?: { readonly raw?: number | null; readonly humanReadable?: string | null } | null;
  /** The run in REANA's web UI. */
  readonly reanaUrl?: string | null;
}

/** One workspace retention rule of a run (`ReanaRetentionRule`). */
export interface IRetentionRule {
  /** The files it covers, a glob (the server's default rule covers every file). */
  readonly pattern: string;
  readonly days: number | null;
  /** created (until the run ends), active, inactive, pending, applied. */
  readonly status: string;
  /** When REANA deletes the files (REANA's zone-less UTC), once the run has ended. */
  readonly applyOn: string | null;
}

/** A run's retention: its rules and the first day files of it go. */
export interface IRetention {
  readonly rules: readonly IRetentionRule[];
  readonly expiresOn: string | null;
  /** Before the run has ended: files go this many days after its end. */
  readonly expiresAfterDays: number | null;
}

/** Why a failed run failed, from its logs; `step` null for a start that never ran. */
export interface IFailure {
  readonly step: string | null;
  readonly message: string;
}

/** One run with its specification (`ReanaWorkflowDetail`). */
export interface IWorkflowDetail extends IWorkflow {
  /** The engine: serial, cwl, yadage or snakemake. */
  readonly type?: string | null;
  readonly parameters?: ReadonlyJSONObject;
  readonly inputParameters?: ReadonlyJSONObject;
  readonly specification?: ReadonlyJSONObject | null;
  readonly retention?: IRetention | null;
  readonly failure?: IFailure | null;
}

/** A page of a paged REANA list. */
export interface IPage<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly size: number;
}

/** What the workflow list asks REANA for. */
export interface IWorkflowQuery {
  readonly page: number;
  readonly size: number;
  /** Part of the run name. */
  readonly search: string;
  /** Empty: every status. */
  readonly statuses: readonly WorkflowStatus[];
  /** By creation time. */
  readonly sort: 'desc' | 'asc';
}

/** A piece of one log after a cursor (`ReanaLogPiece`). */
export interface ILogPiece {
  readonly text: string;
  readonly offset: number;
  /** The log got shorter than the cursor: `text` is the whole log again. */
  readonly reset: boolean;
}

/** A job's log piece and what the job is (`ReanaLogs.jobs[]`). */
export interface IJobLogPiece extends ILogPiece {
  readonly id: string;
  readonly name?: string;
  readonly status?: string | null;
  readonly image?: string | null;
  readonly command?: string | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

/** The logs route's answer (`ReanaLogs`). */
export interface ILogsAnswer {
  readonly workflow: ILogPiece;
  readonly engine: ILogPiece;
  readonly jobs: readonly IJobLogPiece[];
  readonly cursor: string;
}

/** One file of a run's workspace (`ReanaWorkspaceFile`). */
export interface IWorkspaceFile {
  readonly name: string;
  readonly size?: number | null;
  readonly sizeHuman?: string | null;
  readonly lastModified?: string | null;
  /** The retention rule that deletes this file first; null: kept until the run is deleted. */
  readonly retention?: {
    readonly pattern: string;
    readonly applyOn: string | null;
    readonly days: number | null;
  } | null;
}

/** What the workspace list asks REANA for. */
export interface IWorkspaceQuery {
  readonly page: number;
  readonly size: number;
  /** Part of the path. */
  readonly search?: string;
  /** A folder or a glob as REANA matches them: `data/x*` stays in data, `**` crosses folders. */
  readonly glob?: string;
}

/** What a REANA server offers (`ReanaServerInfo`). */
export interface IServerInfo {
  readonly engines: readonly string[] | null;
  readonly computeBackends: readonly string[];
  readonly workspaces: readonly string[];
  readonly defaultWorkspace: string | null;
  /** Maximum (and default) retention of workspace files in days; null: kept. */
  readonly retentionDays: number | null;
  readonly jobs: {
    readonly defaultTimeout?: number | null;
    readonly maximumTimeout?: number | null;
    readonly defaultMemoryLimit?: string | null;
    readonly maximumMemoryLimit?: string | null;
  };
  readonly images: { readonly recommended: readonly string[]; readonly vettedOnly: boolean };
  readonly entries: readonly { key: string; title: string; value: string | null }[];
}

/** A spec checked against a server's limits (`checkReanaSpecLimits`). */
export interface ISpecLimits {
  readonly path: string;
  readonly problems: readonly string[];
  readonly server: IServerInfo;
}

/** A REANA secret: name and type only, never its value (`ReanaSecret`). */
export interface ISecret {
  readonly name: string;
  /** env: an environment variable of every job; file: /etc/reana/secrets/<name>. */
  readonly type: 'env' | 'file';
}

/** A secret to add; `value` is base64, as REANA keeps it. */
export interface ISecretInput extends ISecret {
  readonly value: string;
  readonly overwrite?: boolean;
}

/** A validation message with its place in the file (`ReanaSpecMessage`); 1-based. */
export interface ISpecMessage {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The validate route's answer (`ReanaSpecValidation`). */
export interface ISpecValidation {
  readonly path: string;
  readonly valid: boolean;
  readonly verdict: 'valid' | 'valid-with-warnings' | 'invalid';
  readonly engine?: string | null;
  readonly errors: readonly ISpecMessage[];
  readonly warnings: readonly ISpecMessage[];
  /** `inputs.parameters` with their defaults, when the spec is readable. */
  readonly parameters?: ReadonlyJSONObject | null;
  /** What a run would upload: `inputs.files` and `inputs.directories`. */
  readonly inputs?: ISpecInputs | null;
  /** The workflow name the server uses when none is given. */
  readonly defaultName?: string | null;
  /** `server` when the connection's REANA (a bundle server, 0.95) validated the spec itself. */
  readonly validatedBy?: 'server';
}

/** The inputs a run uploads, as the validate route summarises them. */
export interface ISpecInputs {
  readonly files: readonly string[];
  readonly directories: readonly string[];
  /** Files found on disk (directories counted file by file). */
  readonly fileCount: number;
  /** Their total size in bytes. */
  readonly bytes: number;
  /** Declared inputs not found next to the spec. */
  readonly missing: readonly string[];
  /** What .gitignore and .reanaignore leave out of the directories (folders end in '/'). */
  readonly ignored?: readonly string[];
  readonly ignoredCount?: number;
}

/** What adding or editing a REANA connection sends (`ReanaConnectionInput`). */
export interface IConnectionInput {
  name?: string;
  url?: string;
  accessToken?: string;
  verifyCertificates?: boolean;
}

/** The start options of a run (`/start` and `/reana/run`). */
export interface IStartOptions {
  parameters?: { [name: string]: string | number | boolean };
  operationalOptions?: { [name: string]: string };
}

/** The body of `POST /reana/run`. */
export type IRunRequest = { connection: string; path: string; name?: string } & IStartOptions & {
    /** openBIS datasets streamed into the workspace before the start. */
    openbisInputs?: { connection: string; permId: string; folder: string | null }[];
  };

/** The REANA routes bound to the application's server settings. */
export class ReanaApi {
  constructor(readonly serverSettings: ServerConnection.ISettings) {}

  listConnections(): Promise<{ connections: IReanaConnection[] }> {
    return this.#get('reana/connections');
  }

  addConnection(input: IConnectionInput): Promise<IReanaConnection> {
    return this.#post('reana/connections', input);
  }

  editConnection(name: string, input: IConnectionInput): Promise<IReanaConnection> {
    return this.#call(`reana/connections/${enc(name)}`, 'PATCH', input);
  }

  async deleteConnection(name: string): Promise<void> {
    await this.#call(`reana/connections/${enc(name)}`, 'DELETE');
  }

  checkConnection(name: string): Promise<IReanaConnection> {
    return this.#call(`reana/connections/${enc(name)}/check`, 'POST');
  }

  listWorkflows(connection: string, query: IWorkflowQuery): Promise<IPage<IWorkflow>> {
    const params = new URLSearchParams({
      page: String(query.page),
      size: String(query.size),
      sort: query.sort
    });
    if (query.search) {
      params.set('search', query.search);
    }
    if (query.statuses.length) {
      params.set('status', query.statuses.join(','));
    }
    return this.#get(`${workflows(connection)}?${params}`);
  }

  getWorkflow(connection: string, workflow: string): Promise<IWorkflowDetail> {
    return this.#get(`${workflows(connection)}/${enc(workflow)}`);
  }

  /** `steps`: only these steps' job logs (start from an empty cursor when they change). */
  getLogs(
    connection: string,
    workflow: string,
    cursor: string,
    steps: readonly string[] = []
  ): Promise<ILogsAnswer> {
    const params = new URLSearchParams();
    if (cursor) {
      params.set('cursor', cursor);
    }
    if (steps.length) {
      params.set('steps', steps.join(','));
    }
    const query = params.toString() ? `?${params}` : '';
    return this.#get(`${workflows(connection)}/${enc(workflow)}/logs${query}`);
  }

  start(
    connection: string,
    workflow: string,
    options: IStartOptions & { restart?: boolean }
  ): Promise<ReadonlyJSONObject> {
    return this.#post(`${workflows(connection)}/${enc(workflow)}/start`, options);
  }

  stop(connection: string, workflow: string): Promise<ReadonlyJSONObject> {
    return this.#call(`${workflows(connection)}/${enc(workflow)}/stop`, 'POST');
  }

  delete(connection: string, workflow: string, workspace: boolean): Promise<ReadonlyJSONObject> {
    const query = new URLSearchParams({ workspace: String(workspace) });
    return this.#call(`${workflows(connection)}/${enc(workflow)}?${query}`, 'DELETE');
  }

  listWorkspace(
    connection: string,
    workflow: string,
    query: IWorkspaceQuery
  ): Promise<IPage<IWorkspaceFile>> {
    const params = new URLSearchParams({ page: String(query.page), size: String(query.size) });
    if (query.search) {
      params.set('search', query.search);
    }
    if (query.glob) {
      params.set('glob', query.glob);
    }
    return this.#get(`${workflows(connection)}/${enc(workflow)}/workspace?${params}`);
  }

  serverInfo(connection: string): Promise<IServerInfo> {
    return this.#get(`reana/connections/${enc(connection)}/info`);
  }

  specLimits(connection: string, path: string): Promise<ISpecLimits> {
    return this.#post(`reana/connections/${enc(connection)}/spec-limits`, { path });
  }

  async listSecrets(connection: string): Promise<readonly ISecret[]> {
    const answer = await this.#get<{ secrets: ISecret[] }>(
      `reana/connections/${enc(connection)}/secrets`
    );
    return answer.secrets;
  }

  /** The value travels once, in this request; nothing here keeps it. */
  addSecret(connection: string, secret: ISecretInput): Promise<ISecret> {
    return this.#post(`reana/connections/${enc(connection)}/secrets`, secret);
  }

  async deleteSecret(connection: string, name: string): Promise<void> {
    await this.#call(`reana/connections/${enc(connection)}/secrets/${enc(name)}`, 'DELETE');
  }

  /**
   * `paths: ['']` downloads the whole workspace; items keep their workspace paths. Items
   * that exist are a 409 `target_exists` unless `onConflict` says to replace or keep both.
   */
  download(
    connection: string,
    workflow: string,
    paths: readonly string[],
    destination: string,
    onConflict?: 'replace' | 'keep-both'
  ): Promise<IJob> {
    return this.#post(`${workflows(connection)}/${enc(workflow)}/workspace/download`, {
      paths,
      destination,
      ...(onConflict === 'replace' ? { overwrite: true } : {}),
      ...(onConflict === 'keep-both' ? { keepBoth: true } : {})
    });
  }

  upload(connection: string, workflow: string, sources: readonly string[]): Promise<IJob> {
    return this.#post(`${workflows(connection)}/${enc(workflow)}/workspace/upload`, { sources });
  }

  /** Validate a spec; with a `connection` whose server takes bundles, that server judges it. */
  validate(path: string, connection?: string | null): Promise<ISpecValidation> {
    return this.#post('reana/validate', connection ? { path, connection } : { path });
  }

  run(request: IRunRequest): Promise<IJob> {
    return this.#post('reana/run', request);
  }

  /** One job of the server (`GET /jobs/{id}`), e.g. a run job after a reload. */
  getJob(id: string): Promise<IJob> {
    return this.#get(`jobs/${enc(id)}`);
  }

  #get<T>(endPoint: string): Promise<T> {
    return requestAPI<T>(endPoint, { method: 'GET' }, this.serverSettings);
  }

  #post<T>(endPoint: string, body: unknown): Promise<T> {
    return this.#call(endPoint, 'POST', body);
  }

  #call<T>(endPoint: string, method: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    return requestAPI<T>(endPoint, init, this.serverSettings);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function workflows(connection: string): string {
  return `reana/connections/${enc(connection)}/workflows`;
}
