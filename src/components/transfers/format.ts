import { TranslationBundle } from '@jupyterlab/translation';

import { IJob } from '../../tokens';
import { formatBytes } from '../format';

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
 * A job's title as openBIS users know its data (type and name), with the permId or the
 * server's plain title as the secondary line. Jobs without those details keep the
 * server's title.
 */
export function describeJob(
  job: IJob,
  trans: TranslationBundle
): { title: string; subtitle: string | null } {
  const details = job.details ?? {};
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : '');
  const type = text('datasetType');
  if (job.kind === 'openbis-download' && (type || text('name'))) {
    const what = [type, text('name')].filter(Boolean).join(' · ');
    return { title: trans.__('Download %1', what), subtitle: text('permId') || null };
  }
  if (job.kind === 'openbis-upload' && type && text('target')) {
    const permId = job.result?.permId;
    return {
      title: trans.__('Upload %1 to %2', type, text('target')),
      subtitle: typeof permId === 'string' ? permId : null
    };
  }
  return { title: job.title, subtitle: null };
}
