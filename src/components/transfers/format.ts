import { TranslationBundle } from '@jupyterlab/translation';

import { IJob } from '../../tokens';
import { formatBytes } from '../format';
import { shownName, shownText } from '../names';

/** The job's state in the user's language. */
export function stateLabel(job: IJob, trans: TranslationBundle): string {
  switch (job.state) {
    case 'queued':
      return trans.__('Queued');
    case 'running':
      return job.step && job.step !== job.state
        ? trans.__('Running (%1)', job.step)
        : trans.__('Running');
    case 'done':
      return trans.__('Done');
    case 'failed':
      return trans.__('Failed');
    case 'cancelled':
      return trans.__('Cancelled');
  }
}

/** "3.2 MiB of 10 MiB · 1 of 4 files · 1.1 MiB/s": what moved, for the row's second line. */
export function progressText(job: IJob, trans: TranslationBundle): string {
  const parts: string[] = [];
  const done = job.bytesDone ?? 0;
  if (job.bytesTotal !== null && job.bytesTotal !== undefined) {
    parts.push(trans.__('%1 of %2', formatBytes(done), formatBytes(job.bytesTotal)));
  } else if (done > 0) {
    parts.push(formatBytes(done));
  }
  if (job.filesTotal !== null && job.filesTotal !== undefined) {
    // The plural follows the total: "1 of 1 file", "0 of 2 files".
    parts.push(trans._n('%2 of %1 file', '%2 of %1 files', job.filesTotal, job.filesDone ?? 0));
  }
  if (job.state === 'running' && job.speed) {
    parts.push(trans.__('%1/s', formatBytes(job.speed)));
  }
  return parts.join(' · ');
}

/** The fraction done in [0, 1], or `null` while the total is unknown. */
export function fractionDone(job: IJob): number | null {
  if (job.state === 'done') {
    return 1;
  }
  if (job.bytesTotal) {
    return Math.min(1, (job.bytesDone ?? 0) / job.bytesTotal);
  }
  if (job.filesTotal) {
    return Math.min(1, (job.filesDone ?? 0) / job.filesTotal);
  }
  return null;
}

/**
 * A job's title in the words of what it moves: openBIS data by type and name (the permId as
 * the secondary line), REANA runs by their `name.number`, with true plurals. Jobs without
 * those details keep the server's title. Every name is shown as it is (`shownName`).
 */
export function describeJob(
  job: IJob,
  trans: TranslationBundle
): { title: string; subtitle: string | null } {
  const details = job.details ?? {};
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : '');
  const type = text('datasetType');
  const files = job.filesTotal ?? (typeof details.files === 'number' ? details.files : null);
  if (job.kind === 'openbis-download' && (type || text('name'))) {
    const what = [type, text('name')].filter(Boolean).join(' · ');
    return { title: trans.__('Download %1', what), subtitle: shownName(text('permId')) || null };
  }
  if (job.kind === 'openbis-upload' && type && text('target')) {
    const permId = job.result?.permId;
    return {
      title: trans.__('Upload %1 to %2', type, text('target')),
      subtitle: typeof permId === 'string' ? shownName(permId) : null
    };
  }
  if ((job.kind === 'reana-download' || job.kind === 'reana-upload') && text('run')) {
    const download = job.kind === 'reana-download';
    const title =
      files === null
        ? download
          ? trans.__('Download from %1', text('run'))
          : trans.__('Upload to %1', text('run'))
        : download
          ? trans._n('Download %1 file from %2', 'Download %1 files from %2', files, text('run'))
          : trans._n('Upload %1 file to %2', 'Upload %1 files to %2', files, text('run'));
    return { title, subtitle: null };
  }
  return { title: shownText(job.title), subtitle: null };
}

/**
 * The job in one line, for notifications and accessible names: its title, then the
 * identifier (e.g. "Download RAW_DATA · Raw measurement 1, 20240102010000000-15").
 */
export function jobLabel(job: IJob, trans: TranslationBundle): string {
  const { title, subtitle } = describeJob(job, trans);
  return subtitle ? trans.__('%1, %2', title, subtitle) : title;
}
