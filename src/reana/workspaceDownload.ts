import { TranslationBundle } from '@jupyterlab/translation';

import { askConflict } from '../components/conflicts';
import { ApiError } from '../request';
import { IJob } from '../tokens';
import { ReanaApi } from './api';

/**
 * Start downloading workspace items (`['']`: all) of a run into `destination`. When some
 * exist there already (a second "Download outputs" of a rerun), the user is asked in place
 * to replace them or keep both, as for openBIS downloads; a refusal of another kind is
 * thrown for the caller to show.
 *
 * @param label - the run as people know it (`name.number`), for the question's title.
 * @returns the job, or `null` when the user cancelled.
 */
export async function downloadFromWorkspace(options: {
  api: ReanaApi;
  trans: TranslationBundle;
  connection: string;
  workflow: string;
  label: string;
  paths: readonly string[];
  destination: string;
}): Promise<IJob | null> {
  const { api, trans, connection, workflow, paths, destination } = options;
  try {
    return await api.download(connection, workflow, paths, destination);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'target_exists') {
      throw error;
    }
    const answer = await askConflict(trans, {
      title: trans.__('Replace files of %1?', options.label),
      message: error.message,
      keepBoth: true
    });
    if (answer === 'cancel') {
      return null;
    }
    return api.download(connection, workflow, paths, destination, answer);
  }
}
