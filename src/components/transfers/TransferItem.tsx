import React from 'react';
import {
  closeIcon,
  downloadIcon,
  fileUploadIcon,
  LabIcon,
  runIcon,
  runningIcon
} from '@jupyterlab/ui-components';

import type { ReactNode } from 'react';

import { isFinished } from '../../models/JobsModel';
import { IJob } from '../../tokens';
import { IconButton } from '../IconButton';
import { useTranslation } from '../translation';
import { shownText } from '../names';
import { describeJob, fractionDone, jobLabel, progressText, stateLabel } from './format';

/** Something to do with a finished job, such as "Show in file browser". */
export interface IJobAction {
  readonly label: string;
  readonly icon: LabIcon;
  readonly execute: () => void;
}

/** The icon of a job kind: direction for transfers, a run arrow for workflow runs. */
function kindIcon(kind: string): LabIcon {
  if (kind.endsWith('-download')) {
    return downloadIcon;
  }
  if (kind.endsWith('-upload')) {
    return fileUploadIcon;
  }
  if (kind.endsWith('-run')) {
    return runIcon;
  }
  return runningIcon;
}

/** One job: title, progress bar, what moved, state, and Cancel or the follow-up action. */
export function TransferItem(props: {
  job: IJob;
  onCancel: (job: IJob) => void;
  action: IJobAction | null;
}): JSX.Element {
  const trans = useTranslation();
  const { job, action } = props;
  const Icon = kindIcon(job.kind).react;
  const fraction = fractionDone(job);
  const finished = isFinished(job);
  const details = progressText(job, trans);
  const { title, subtitle } = describeJob(job, trans);
  const label = jobLabel(job, trans);
  return (
    <li className={`jp-ReanaOpenbis-transfer jp-mod-${job.state}`} aria-label={label}>
      <div className="jp-ReanaOpenbis-transferHeader">
        <Icon className="jp-ReanaOpenbis-transferIcon" tag="span" elementSize="normal" />
        <span className="jp-ReanaOpenbis-transferTitle" title={label}>
          {breakAtSlashes(title)}
          {subtitle && <code className="jp-ReanaOpenbis-transferSubtitle">{subtitle}</code>}
        </span>
        {!finished && (
          <IconButton
            icon={closeIcon}
            label={trans.__('Cancel %1', label)}
            onClick={() => props.onCancel(job)}
          />
        )}
        {finished && action && (
          <IconButton icon={action.icon} label={action.label} onClick={action.execute} />
        )}
      </div>
      {job.state !== 'failed' && job.state !== 'cancelled' && (
        <progress
          className="jp-ReanaOpenbis-transferProgress"
          aria-label={trans.__('Progress of %1', label)}
          max={1}
          value={fraction ?? undefined}
        />
      )}
      <div className="jp-ReanaOpenbis-transferStatus">
        <span className="jp-ReanaOpenbis-transferState">{stateLabel(job, trans)}</span>
        {details && <span className="jp-ReanaOpenbis-transferDetails">{details}</span>}
      </div>
      {job.state === 'failed' && job.error && (
        <div className="jp-ReanaOpenbis-transferError">{shownText(job.error)}</div>
      )}
    </li>
  );
}

/** Identifiers such as /SPACE/PROJECT/OBJECT may wrap before a slash, not inside a code. */
function breakAtSlashes(text: string): ReactNode[] {
  return text.split('/').map((part, i) => (
    <React.Fragment key={i}>
      {i > 0 && <wbr />}
      {i > 0 && '/'}
      {part}
    </React.Fragment>
  ));
}
