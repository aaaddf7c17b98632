import { ConflictAnswer, freeName } from '../components/conflicts';
import { ApiError } from '../request';
import { IJob } from '../tokens';
import { OpenbisClient } from './client';
import { IOpenbisDownloadRequest } from './types';

/** How a download treats files that already exist at the destination. */
export interface IOverwritePolicy {
  /** Ask before replacing (the `confirmOverwrite` setting); when off, replace at once. */
  confirm: boolean;
  /** Ask the user, with the server's words about the clash. */
  ask: (message: string) => Promise<ConflictAnswer>;
  /** The names in a folder now (relative to the server root), to find a free one. */
  names: (folder: string) => Promise<ReadonlySet<string>>;
}

/**
 * Start a download; when the server refuses because files exist (409 `target_exists`), ask
 * whether to replace them (retry with `overwrite: true`) or keep both (download into the
 * first free `<folder> (n)` beside the earlier download).
 *
 * @returns the started job, or `null` when the user cancelled.
 * @throws {ApiError} every other refusal (bad destination 400, login needed 401, …).
 */
export async function startDownload(
  client: OpenbisClient,
  request: IOpenbisDownloadRequest,
  policy: IOverwritePolicy
): Promise<IJob | null> {
  try {
    return await client.download(request);
  } catch (error) {
    // Only files in the way are worth replacing; other 409s (a read-only or full folder,
    // an archived dataset) would fail again, so they are reported as they are.
    if (!(error instanceof ApiError) || error.code !== 'target_exists' || request.overwrite) {
      throw error;
    }
    const answer = policy.confirm ? await policy.ask(error.message) : 'replace';
    if (answer === 'cancel') {
      return null;
    }
    if (answer === 'keep-both' && request.folder) {
      const taken = await policy.names(request.destination);
      return client.download({ ...request, folder: freeName(request.folder, taken, true) });
    }
    return client.download({ ...request, overwrite: true });
  }
}

/**
 * The name of the folder a dataset is downloaded into: its permId (an openBIS dataset's code
 * is its permId, e.g. `20240102010000000-15`), the one name users see next to the dataset
 * everywhere in openBIS and in this panel. Chosen over "name + code" because the permId is
 * unique and never changes, so downloading the same dataset again finds its own folder
 * (and asks before replacing) and two datasets never share one, while a name is optional,
 * may repeat and may be edited. permIds are digits and dashes; any other character becomes
 * `_` and a leading dot is replaced, so the name is safe on every file system and not hidden.
 */
export function datasetFolderName(permId: string): string {
  const safe = permId
    .trim()
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\./, '_');
  return safe || '_';
}

/** `destination/<datasetFolderName>`, relative to the server root like `destination`. */
export function datasetFolderPath(destination: string, permId: string): string {
  const parent = trimSlashes(destination);
  const name = datasetFolderName(permId);
  return parent ? `${parent}/${name}` : name;
}

/** A folder path as the server and the file browser both write it: no slashes around it. */
export function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
