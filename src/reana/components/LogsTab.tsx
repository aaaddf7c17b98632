import { HTMLSelect } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { FactList } from '../../components/FactList';
import { useTranslation } from '../../components/translation';
import { shownName, shownText } from '../../components/names';
import { formatTime } from '../status';
import { WorkflowModel } from '../WorkflowModel';
import { LogView } from './LogView';
import { WorkflowStatusBadge } from './WorkflowStatusBadge';

/** The run's logs: the workflow and engine logs and one per job, picked from a list. */
export function LogsTab(props: { model: WorkflowModel }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  // Until the user picks one: the first failed job's log (the workflow log says little
  // about why), else the workflow log.
  const [picked, setSelected] = useState<string | null>(null);
  const selected = picked ?? model.jobs.find(j => j.meta.status === 'failed')?.id ?? 'workflow';
  // The model emits `changed` for new text; this number makes the log view look again.
  const version =
    model.workflowLog.length +
    model.engineLog.length +
    model.jobs.reduce((n, j) => n + j.log.length, 0);
  const job = model.jobs.find(j => j.id === selected);
  const buffer = selected === 'engine' ? model.engineLog : job ? job.log : model.workflowLog;
  const label =
    selected === 'engine'
      ? trans.__('Engine log')
      : job
        ? trans.__('Log of job %1', job.meta.name ?? job.id)
        : trans.__('Workflow log');
  const steps = model.steps;
  return (
    <div className="jp-ReanaOpenbis-logs">
      <ul className="jp-ReanaOpenbis-logPicker" aria-label={trans.__('Logs')}>
        {steps.length > 1 && (
          <li className="jp-ReanaOpenbis-stepFilter">
            <HTMLSelect
              aria-label={trans.__('Step')}
              title={trans.__('Ask REANA for the job logs of this step only')}
              value={model.stepFilter ?? ''}
              onChange={e => {
                setSelected(null);
                void model.setStepFilter(e.currentTarget.value || null);
              }}
            >
              <option value="">{trans.__('All steps')}</option>
              {steps.map(step => (
                <option key={step} value={step}>
                  {step}
                </option>
              ))}
            </HTMLSelect>
          </li>
        )}
        <li>
          <button
            className={selected === 'workflow' ? 'jp-mod-current' : ''}
            aria-pressed={selected === 'workflow'}
            onClick={() => setSelected('workflow')}
          >
            {trans.__('Workflow')}
          </button>
        </li>
        <li>
          <button
            className={selected === 'engine' ? 'jp-mod-current' : ''}
            aria-pressed={selected === 'engine'}
            onClick={() => setSelected('engine')}
          >
            {trans.__('Engine')}
          </button>
        </li>
        {model.jobs.map(j => (
          <li key={j.id}>
            <button
              className={selected === j.id ? 'jp-mod-current' : ''}
              aria-pressed={selected === j.id}
              onClick={() => setSelected(j.id)}
            >
              <span className="jp-ReanaOpenbis-jobName">{shownName(j.meta.name ?? j.id)}</span>
              {j.meta.status && <WorkflowStatusBadge status={j.meta.status} />}
            </button>
          </li>
        ))}
      </ul>
      <div className="jp-ReanaOpenbis-logMain">
        {job && (
          <FactList
            facts={[
              [trans.__('Command'), job.meta.command && <code>{shownText(job.meta.command)}</code>],
              [trans.__('Image'), job.meta.image],
              [trans.__('Started'), formatTime(job.meta.startedAt)],
              [trans.__('Finished'), formatTime(job.meta.finishedAt)]
            ]}
          />
        )}
        <LogView
          key={selected}
          lines={buffer.lines}
          version={version}
          label={label}
          text={() => buffer.text}
          styles={index => buffer.styles(index)}
        />
      </div>
    </div>
  );
}
