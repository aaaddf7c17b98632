import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';

/** An openBIS dataset a run took as input or was published as (`ProvenanceDataset`). */
export interface IProvenanceDataset {
  readonly server?: string | null;
  readonly permId: string;
  readonly type?: string | null;
  readonly name?: string | null;
  /** The user's openBIS connection to that server, if there is one. */
  readonly connection?: string | null;
  readonly how?: string | null;
}

/** `GET …/workflows/{workflow}/provenance`. */
export interface IRunProvenance {
  readonly status: string | null;
  readonly record: { readonly [key: string]: unknown } | null;
  readonly inputs: readonly IProvenanceDataset[];
  readonly published: readonly IProvenanceDataset[];
  readonly outputs: readonly string[];
  readonly parents: readonly string[];
  readonly target: { readonly kind: 'object' | 'collection'; readonly id: string } | null;
  readonly openbisConnection: string | null;
  readonly summary: string;
}

/** A node of a dataset's lineage: a dataset, or the REANA run that made one. */
export interface ILineageNode {
  readonly id: string;
  readonly kind: 'dataset' | 'run';
  readonly permId?: string;
  readonly name?: string | null;
  readonly type?: string | null;
  readonly level?: number;
  readonly moreParents?: boolean;
  readonly moreChildren?: boolean;
  readonly workflowId?: string;
  readonly server?: string | null;
}

export interface ILineage {
  readonly center: string;
  readonly depth: number;
  readonly nodes: readonly ILineageNode[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

/** An input of a run being set up: which dataset, and its workspace folder. */
export interface IRunInput {
  readonly connection: string;
  readonly permId: string;
  readonly name?: string | null;
  readonly type?: string | null;
  /** Empty: the server's default, `inputs/<name or permId>`. */
  folder: string;
}

/** Where an export goes and in which form (`POST /provenance/crate`). */
export interface ICrateRequest {
  readonly source: 'run' | 'dataset';
  readonly connection: string;
  readonly workflow?: string;
  readonly permId?: string;
  readonly destination: string;
  readonly format: 'zip' | 'folder';
  /** Replace a crate of the same name (after the user said so). */
  readonly overwrite?: boolean;
  /** Write beside a crate of the same name, as `name (1).zip`. */
  readonly keepBoth?: boolean;
}

/** The provenance loop's routes. */
export class ProvenanceApi {
  constructor(readonly serverSettings: ServerConnection.ISettings) {}

  run(connection: string, workflow: string): Promise<IRunProvenance> {
    return this.#call(
      `reana/connections/${enc(connection)}/workflows/${enc(workflow)}/provenance`,
      'GET'
    );
  }

  lineage(connection: string, permId: string, depth = 2): Promise<ILineage> {
    return this.#call(
      `openbis/connections/${enc(connection)}/datasets/${enc(permId)}/lineage?depth=${depth}`,
      'GET'
    );
  }

  exportCrate(request: ICrateRequest): Promise<{ path: string; format: string }> {
    return this.#call('provenance/crate', 'POST', request);
  }

  #call<T>(endPoint: string, method: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    return requestAPI<T>(endPoint, init, this.serverSettings);
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** The folder the server gives an input when none is typed (shown as a placeholder). */
export function defaultInputFolder(input: { permId: string; name?: string | null }): string {
  const name = [...(input.name ?? '')]
    .map(c => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || '/\\'.includes(c) ? '_' : c))
    .join('')
    .trim();
  return `inputs/${name || input.permId}`;
}
