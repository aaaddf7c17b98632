import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';
import { IJob, IOpenbisConnection } from '../tokens';
import {
  IOpenbisConnectionInput,
  IOpenbisDatasetDetail,
  IOpenbisDatasetFiles,
  IOpenbisDownloadRequest,
  IOpenbisEntity,
  IOpenbisLogin,
  IOpenbisPage
} from './types';

/** The browsable levels, named as the routes name them. */
export type OpenbisLevel = 'spaces' | 'projects' | 'collections' | 'objects' | 'datasets';

/** Filters and paging of a list route (`start`, `count`, `search`, parent filters). */
export interface IListQuery {
  start: number;
  count: number;
  search?: string;
  space?: string;
  project?: string;
  collection?: string;
  object?: string;
}

/**
 * The openBIS routes of the server extension, one method each.
 *
 * Every method throws what `requestAPI` throws: `ApiError` (with `status`, `code`,
 * `field`, `errors`) for an error answer, `ServerConnection.NetworkError` when the Jupyter
 * server is unreachable.
 */
export class OpenbisClient {
  constructor(readonly serverSettings: ServerConnection.ISettings) {}

  /** `POST /openbis/connections`: metadata only; log in afterwards. */
  addConnection(input: IOpenbisConnectionInput): Promise<IOpenbisConnection> {
    return this.#call('openbis/connections', 'POST', input);
  }

  /** `GET /openbis/connections/{name}`. */
  connection(name: string): Promise<IOpenbisConnection> {
    return this.#call(connectionPath(name), 'GET');
  }

  /** `PATCH /openbis/connections/{name}`: drops the session and secret when anything changes. */
  updateConnection(name: string, input: IOpenbisConnectionInput): Promise<IOpenbisConnection> {
    return this.#call(connectionPath(name), 'PATCH', input);
  }

  /** `DELETE /openbis/connections/{name}`; presets answer 409 `preset`. */
  async deleteConnection(name: string): Promise<void> {
    await this.#call<void>(connectionPath(name), 'DELETE');
  }

  /** `POST …/login`; an empty body uses the secret the server holds. 403 `credentials_rejected`. */
  login(name: string, login: IOpenbisLogin = {}): Promise<IOpenbisConnection> {
    return this.#call(`${connectionPath(name)}/login`, 'POST', login);
  }

  /** `POST …/logout`: always succeeds, even when openBIS is down. */
  logout(name: string): Promise<IOpenbisConnection> {
    return this.#call(`${connectionPath(name)}/logout`, 'POST', {});
  }

  /** `GET …/status`: asks openBIS whether the session lives (renews it when it can). */
  status(name: string): Promise<IOpenbisConnection> {
    return this.#call(`${connectionPath(name)}/status`, 'GET');
  }

  /** One page of a level (`GET …/spaces`, `…/projects`, …), filtered by its parent. */
  list<T extends IOpenbisEntity>(
    connection: string,
    level: OpenbisLevel,
    query: IListQuery
  ): Promise<IOpenbisPage<T>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    return this.#call(`${connectionPath(connection)}/${level}?${params.toString()}`, 'GET');
  }

  /** `GET …/datasets/{permId}`: labelled properties, parents and children. */
  dataset(connection: string, permId: string): Promise<IOpenbisDatasetDetail> {
    return this.#call(
      `${connectionPath(connection)}/datasets/${encodeURIComponent(permId)}`,
      'GET'
    );
  }

  /** `GET …/datasets/{permId}/files`: the file tree with sizes. */
  files(connection: string, permId: string): Promise<IOpenbisDatasetFiles> {
    return this.#call(
      `${connectionPath(connection)}/datasets/${encodeURIComponent(permId)}/files`,
      'GET'
    );
  }

  /** `POST /openbis/downloads`: the started job; 409 when files exist and `overwrite` is off. */
  download(request: IOpenbisDownloadRequest): Promise<IJob> {
    return this.#call('openbis/downloads', 'POST', request);
  }

  /** `GET /jobs/{id}`, for following a download when no jobs model is there. */
  job(id: string): Promise<IJob> {
    return this.#call(`jobs/${encodeURIComponent(id)}`, 'GET');
  }

  #call<T>(endPoint: string, method: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    return requestAPI<T>(endPoint, init, this.serverSettings);
  }
}

function connectionPath(name: string): string {
  return `openbis/connections/${encodeURIComponent(name)}`;
}
