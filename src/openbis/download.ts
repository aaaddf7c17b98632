import { ApiError } from '../request';
import { IJob } from '../tokens';
import { OpenbisClient } from './client';
import { IOpenbisDownloadRequest } from './types';

/** How a download treats files that already exist at the destination. */
export interface IOverwritePolicy {
  /** Ask before replacing (the `confirmOverwrite` setting); when off, replace at once. */
  confirm: boolean;
  /** Ask the user, with the server's words about the clash; `true` replaces. */
  ask: (message: string) => Promise<boolean>;
}

/**
 * Start a download; when the server refuses because files exist (409 `target_exists`), ask
 * whether to replace them and retry with `overwrite: true`.
 *
 * @returns the started job, or `null` when the user chose not to overwrite.
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
    if (policy.confirm && !(await policy.ask(error.message))) {
      return null;
    }
    return client.download({ ...request, overwrite: true });
  }
}
