import React from 'react';
import { IJob } from '../../tokens';
import { useTranslation } from '../translation';
import { IJobAction, TransferItem } from './TransferItem';

/** Every job, newest first, or a line saying there is none. */
export function TransferList(props: {
  jobs: readonly IJob[];
  onCancel: (job: IJob) => void;
  actionFor: (job: IJob) => IJobAction | null;
}): JSX.Element {
  const trans = useTranslation();
  if (props.jobs.length === 0) {
    return (
      <p className="jp-ReanaOpenbis-muted">
        {trans.__('No transfers. Downloads, uploads and workflow runs show here.')}
      </p>
    );
  }
  return (
    <ul className="jp-ReanaOpenbis-transfers" aria-label={trans.__('Transfers')}>
      {props.jobs.map(job => (
        <TransferItem
          key={job.id}
          job={job}
          onCancel={props.onCancel}
          action={props.actionFor(job)}
        />
      ))}
    </ul>
  );
}
