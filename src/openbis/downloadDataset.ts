import { Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { askConflict } from '../components/conflicts';
import { isFinished } from '../models/JobsModel';
import { IJob, IJobsModel } from '../tokens';
import { OpenbisClient } from './client';
import { datasetFolderName, datasetFolderPath, startDownload, trimSlashes } from './download';
import { problemOf } from './errors';

/** How often the fallback follows a download when no jobs model is there. */
const FOLLOW_INTERVAL_MS = 1000;

/**
 * Start downloading a dataset (or some of its files) into its own folder inside
 * `destination` (see `datasetFolderName`), so its README.txt, data/ and metadata/ do not
 * mix with the user's files or another dataset's; asks before replacing files of an earlier
 * download, and makes the transfer visible at once: through the jobs model when the
 * Transfers part is installed, else with a notification of our own. The file browser is
 * refreshed when the files arrived. The server makes the folder when it places the files
 * (none is left by a refused or failed download) and records the download in
 * `destination`'s manifest, where results computed from the dataset are uploaded from.
 *
 * Never rejects: refusals become error notifications.
 */
export async function downloadDataset(options: {
  client: OpenbisClient;
  trans: TranslationBundle;
  connection: string;
  permId: string;
  /** What people call the dataset (`datasetLabel`), for messages; the permId when unknown. */
  label: string;
  files: string[];
  destination: string;
  confirmOverwrite: boolean;
  jobs: IJobsModel | null;
  fileBrowser: IDefaultFileBrowser | null;
  /** The names in a folder (relative to the server root), for "keep both". */
  names: (folder: string) => Promise<ReadonlySet<string>>;
}): Promise<IJob | null> {
  const { client, trans, permId, jobs, fileBrowser } = options;
  const parent = trimSlashes(options.destination);
  const destination = datasetFolderPath(parent, permId);
  let job: IJob | null;
  try {
    job = await startDownload(
      client,
      {
        connection: options.connection,
        permId,
        destination: parent,
        folder: datasetFolderName(permId),
        ...(options.files.length > 0 ? { files: options.files } : {})
      },
      {
        confirm: options.confirmOverwrite,
        ask: message =>
          askConflict(trans, {
            title: trans.__('Replace files of %1?', options.label),
            message,
            keepBoth: true
          }),
        names: options.names
      }
    );
  } catch (error) {
    Notification.error(
      trans.__('Could not download %1: %2', options.label, problemOf(error).message),
      { autoClose: false }
    );
    return null;
  }
  if (!job) {
    return null;
  }
  const refresh = () => {
    const shown = fileBrowser && trimSlashes(fileBrowser.model.path);
    if (shown === parent || shown === destination) {
      void fileBrowser?.model.refresh();
    }
  };
  if (jobs) {
    void jobs.whenFinished(job).then(refresh);
  } else {
    void follow(client, job, options.label, trans, destination, refresh);
  }
  return job;
}

/** Without the Transfers part: a notification that follows the job to its end. */
async function follow(
  client: OpenbisClient,
  job: IJob,
  label: string,
  trans: TranslationBundle,
  where: string,
  refresh: () => void
): Promise<void> {
  const id = Notification.emit(trans.__('Downloading %1 into %2…', label, where), 'in-progress', {
    autoClose: false
  });
  let current = job;
  while (!isFinished(current)) {
    await new Promise(resolve => setTimeout(resolve, FOLLOW_INTERVAL_MS));
    try {
      current = await client.job(job.id);
    } catch (error) {
      Notification.update({
        id,
        type: 'error',
        message: problemOf(error).message,
        autoClose: false
      });
      return;
    }
  }
  refresh();
  if (current.state === 'done') {
    Notification.update({
      id,
      type: 'success',
      message: trans.__('Downloaded %1 into %2', label, where),
      autoClose: 5000
    });
  } else {
    Notification.update({
      id,
      type: current.state === 'cancelled' ? 'warning' : 'error',
      message: current.error ?? trans.__('The download of %1 was cancelled', label),
      autoClose: false
    });
  }
}
