/**
 * The openBIS shapes of the REST contract (`reana_openbis_lab/openapi.yaml`, schemas
 * `Openbis*`), as the browser, the dataset view and the connection dialog read them.
 */

/** One page of a server-side paged list (`OpenbisListPage`). */
export interface IOpenbisPage<T> {
  readonly items: readonly T[];
  /** Matches in openBIS for this filter and search, over all pages. */
  readonly total: number;
  readonly start: number;
  /** The page size asked for. */
  readonly count: number;
}

/** What every browsable openBIS entity has (`OpenbisSpace`, `OpenbisProject`, …). */
export interface IOpenbisEntity {
  readonly code: string;
  readonly permId?: string;
  readonly identifier?: string;
  /** The entity type code; spaces and projects have none. */
  readonly type?: string;
  /** The `$NAME` property, when set. */
  readonly name?: string | null;
  readonly description?: string | null;
  /** ISO 8601. */
  readonly registrationDate?: string | null;
  readonly registrator?: string | null;
}

/** A dataset as lists show it (`OpenbisDataset`). */
export interface IOpenbisDataset extends IOpenbisEntity {
  readonly permId: string;
  readonly kind?: string | null;
  readonly collection?: string | null;
  /** Identifier of the object it belongs to. */
  readonly object?: string | null;
  /** Bytes, as openBIS reports them. */
  readonly size?: number | null;
  /** e.g. `AVAILABLE`, `ARCHIVED`. */
  readonly status?: string | null;
  readonly properties?: { readonly [code: string]: string };
}

/** A property of a dataset in the order of its type, with the type's label (`labelledProperties`). */
export interface IOpenbisLabelledProperty {
  readonly code: string;
  readonly label: string;
  readonly dataType?: string | null;
  readonly mandatory?: boolean;
  readonly value?: string | null;
}

/** A parent or child dataset as the detail names it. */
export interface IOpenbisDatasetLink {
  readonly permId: string;
  readonly type?: string;
  /** Its NAME property, what users know it by. */
  readonly name?: string | null;
}

/** One dataset with labels and lineage (`OpenbisDatasetDetail`). */
export interface IOpenbisDatasetDetail extends IOpenbisDataset {
  readonly labelledProperties?: readonly IOpenbisLabelledProperty[];
  readonly parents?: readonly IOpenbisDatasetLink[];
  readonly children?: readonly IOpenbisDatasetLink[];
  readonly modifier?: string | null;
  readonly modificationDate?: string | null;
  readonly tags?: readonly string[];
}

/** A file or folder of a dataset (`OpenbisFileNode`). */
export interface IOpenbisFileNode {
  readonly name: string;
  /** Path inside the dataset, e.g. `original/data/a.csv`. */
  readonly path: string;
  readonly directory: boolean;
  /** Bytes; for a folder, the sum of everything below it. */
  readonly size: number;
  readonly children?: readonly IOpenbisFileNode[];
}

/** A dataset's file tree (`OpenbisDatasetFiles`). */
export interface IOpenbisDatasetFiles {
  readonly permId: string;
  readonly files: readonly IOpenbisFileNode[];
  readonly fileCount: number;
  readonly totalSize: number;
  /** More than 20,000 entries: only those are listed. */
  readonly truncated: boolean;
}

/** The metadata of a new or changed connection (`OpenbisConnectionInput`); never a secret. */
export interface IOpenbisConnectionInput {
  name?: string;
  url?: string;
  verifyCertificates?: boolean;
  username?: string | null;
  auth?: 'password' | 'token';
}

/** A log-in (`OpenbisLogin`); the secret goes to the server once and is never shown again. */
export interface IOpenbisLogin {
  username?: string;
  password?: string;
  token?: string;
  /** `false`: the server forgets the secret right after logging in. */
  remember?: boolean;
}

/** A download request (`OpenbisDownloadRequest`). */
export interface IOpenbisDownloadRequest {
  connection: string;
  permId: string;
  /** Paths inside the dataset; all files when absent. */
  files?: string[];
  /** Existing folder relative to the server root, `''` = root; its manifest records the download. */
  destination: string;
  /** One folder name: the files land in this folder inside `destination` (made if missing). */
  folder?: string;
  overwrite?: boolean;
}
