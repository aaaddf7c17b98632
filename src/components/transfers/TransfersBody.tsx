import React from 'react';

import { IJob, IJobsModel } from '../../tokens';
import { useSignal } from '../hooks';
import { IJobAction } from './TransferItem';
import { TransferList } from './TransferList';

/** The Transfers view's body: re-renders on every job change of the model. */
export function TransfersBody(props: {
  model: IJobsModel;
  onCancel: (job: IJob) => void;
  actionFor: (job: IJob) => IJobAction | null;
}): JSX.Element {
  const { model } = props;
  useSignal(model.changed, model.jobChanged);
  return <TransferList jobs={model.jobs} onCancel={props.onCancel} actionFor={props.actionFor} />;
}
