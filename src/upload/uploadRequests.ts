import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';
import { IJob, IOpenbisConnection } from '../tokens';
import { IDatasetType } from './fields';

/** A dataset the upload's folder (or the folder it sits in) came from (`datasets.json`). */
export interface IManifestEntry {
  readonly connection: string;
  readonly permId: string;
  readonly type?: string | null;
  /** Its NAME property (`ManifestEntry` in openapi.yaml), what people know it by. */
  readonly name?: string | null;
  readonly files: readonly string[];
}

/** An object or collection found by the target search. */
export interface ITargetHit {
  readonly permId: string;
  readonly identifier: string;
  readonly name?: string | null;
}

/** A dataset found by the parent search. */
export interface IDatasetHit {
  readonly permId: string;
  readonly type?: string;
  readonly name?: string | null;
}

interface IPage<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/**
 * The server routes the upload dialog uses, typed: what the dialog's model reads and sends,
 * apart from how it keeps the form's state. Every call may throw `ApiError`.
 */
export class UploadRequests {
  constructor(private readonly settings: ServerConnection.ISettings) {}

  async datasetTypes(connection: string): Promise<IDatasetType[]> {
    const answer = await requestAPI<{ types: IDatasetType[] }>(
      `${connectionRoute(connection)}/types/datasets`,
      {},
      this.settings
    );
    return answer.types;
  }

  /** The manifests of these folders, each dataset once; a folder without one adds nothing. */
  async manifests(folders: Iterable<string>): Promise<IManifestEntry[]> {
    const answers = await Promise.all(
      [...folders].map(folder =>
        requestAPI<{ datasets: IManifestEntry[] }>(
          `openbis/manifest${URLExt.objectToQueryString({ path: folder })}`,
          {},
          this.settings
        ).catch(() => ({ datasets: [] as IManifestEntry[] }))
      )
    );
    const byId = new Map<string, IManifestEntry>();
    answers.forEach(answer => answer.datasets.forEach(entry => byId.set(entry.permId, entry)));
    return [...byId.values()];
  }

  async searchTargets(
    connection: string,
    query: string,
    kind: 'object' | 'collection'
  ): Promise<readonly ITargetHit[]> {
    const search = URLExt.objectToQueryString({
      q: query,
      kind: kind === 'object' ? 'objects' : 'collections',
      count: 20
    });
    const answer = await requestAPI<IPage<ITargetHit>>(
      `${connectionRoute(connection)}/search${search}`,
      {},
      this.settings
    );
    return answer.items;
  }

  async searchDatasets(connection: string, query: string): Promise<readonly IDatasetHit[]> {
    const search = URLExt.objectToQueryString({ search: query, count: 20 });
    const answer = await requestAPI<IPage<IDatasetHit>>(
      `${connectionRoute(connection)}/datasets${search}`,
      {},
      this.settings
    );
    return answer.items;
  }

  /** `body`: `{remember}` and the password or token (none: the server's stored secret). */
  login(connection: string, body: Record<string, unknown>): Promise<IOpenbisConnection> {
    return requestAPI<IOpenbisConnection>(
      `${connectionRoute(connection)}/login`,
      { method: 'POST', body: JSON.stringify(body) },
      this.settings
    );
  }

  /** Publish a REANA run's workspace files as a dataset (the body of `toRequest()`). */
  publish(reanaConnection: string, workflow: string, body: Record<string, unknown>): Promise<IJob> {
    const run = `${encodeURIComponent(reanaConnection)}/workflows/${encodeURIComponent(workflow)}`;
    return requestAPI<IJob>(
      `reana/connections/${run}/publish`,
      { method: 'POST', body: JSON.stringify(body) },
      this.settings
    );
  }

  upload(body: Record<string, unknown>): Promise<IJob> {
    return requestAPI<IJob>(
      'openbis/uploads',
      { method: 'POST', body: JSON.stringify(body) },
      this.settings
    );
  }
}

function connectionRoute(connection: string): string {
  return `openbis/connections/${encodeURIComponent(connection)}`;
}
