import React, { useEffect, useState } from 'react';

import { JobsModel } from '../../models/JobsModel';
import { IJob } from '../../tokens';
import { IJobAction } from './TransferItem';
import { TransferList } from './TransferList';

/** The Transfers section's body: re-renders on every job change of the model. */
export function TransfersBody(props: {
  model: JobsModel;
  onCancel: (job: IJob) => void;
  actionFor: (job: IJob) => IJobAction | null;
}): JSX.Element {
  const { model } = props;
  const [, setVersion] = useState(0);
  useEffect(() => {
    const update = () => setVersion(version => version + 1);
    model.changed.connect(update);
    model.jobChanged.connect(update);
    return () => {
      model.changed.disconnect(update);
      model.jobChanged.disconnect(update);
    };
  }, [model]);
  return <TransferList jobs={model.jobs} onCancel={props.onCancel} actionFor={props.actionFor} />;
}
