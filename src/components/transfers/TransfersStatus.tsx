import React from 'react';
import { GroupItem, ProgressBar } from '@jupyterlab/statusbar';

import { transfersIcon } from '../../icons';
import { isFinished } from '../../models/JobsModel';
import { IJob, IJobsModel } from '../../tokens';
import { useSignal } from '../hooks';
import { useTranslation } from '../translation';
import { fractionDone } from './format';

/**
 * The status bar's transfers item, as JupyterLab shows kernels and terminals: how many
 * transfers run and how far they are together. A click (or Enter) opens the list.
 */
export function TransfersStatus(props: { model: IJobsModel; onOpen: () => void }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  useSignal(model.changed, model.jobChanged);
  const running = model.jobs.filter(job => !isFinished(job));
  const overall = overallFraction(running);
  const percent = overall === null ? null : Math.floor(overall * 100);
  const label =
    running.length === 0
      ? trans.__('No transfer running. Show the transfers.')
      : percent === null
        ? trans._n(
            '%1 transfer running. Show the transfers.',
            '%1 transfers running. Show the transfers.',
            running.length
          )
        : trans._n(
            '%1 transfer running, %2% done. Show the transfers.',
            '%1 transfers running, %2% done. Show the transfers.',
            running.length,
            percent
          );
  return (
    <GroupItem
      spacing={4}
      role="button"
      tabIndex={0}
      title={label}
      aria-label={label}
      className={`jp-ReanaOpenbis-transfersStatus${running.length ? ' jp-mod-running' : ''}`}
      onClick={props.onOpen}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          props.onOpen();
        }
      }}
    >
      <transfersIcon.react tag="span" stylesheet="statusBar" />
      <span>{running.length}</span>
      {percent !== null && <ProgressBar percentage={percent} width={40} />}
    </GroupItem>
  );
}

/**
 * How far the running transfers are together: by bytes where their totals are known (a
 * big download weighs more than a small upload), else by their mean fraction; `null` when
 * no running transfer knows its total yet.
 */
export function overallFraction(jobs: readonly IJob[]): number | null {
  const sized = jobs.filter(job => job.bytesTotal);
  if (sized.length > 0) {
    const total = sized.reduce((sum, job) => sum + (job.bytesTotal ?? 0), 0);
    const done = sized.reduce(
      (sum, job) => sum + Math.min(job.bytesDone ?? 0, job.bytesTotal ?? 0),
      0
    );
    return done / total;
  }
  const fractions = jobs.map(fractionDone).filter((f): f is number => f !== null);
  return fractions.length ? fractions.reduce((a, b) => a + b, 0) / fractions.length : null;
}
