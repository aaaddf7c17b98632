import { ISignal } from '@lumino/signaling';
import React, { useEffect, useState } from 'react';

import { useSignal } from '../components/hooks';
import { useTranslation } from '../components/translation';
import { shownName } from '../components/names';
import { messageOf } from '../request';
import { IProvenanceDataset, IRunProvenance, ProvenanceApi } from './api';

/**
 * The run view's provenance: the openBIS datasets the run took (each opens its dataset
 * view) and those published from it. Read again whenever `version` changes (the run
 * finished, a publication ended).
 */
export function RunProvenance(props: {
  api: ProvenanceApi;
  connection: string;
  workflow: string;
  version: string;
  /** Emitted when something was published from the run: read it again. */
  published: ISignal<unknown, void>;
  onOpenDataset: (connection: string, permId: string) => void;
  onLoaded?: (provenance: IRunProvenance) => void;
}): JSX.Element | null {
  const t = useTranslation();
  const [provenance, setProvenance] = useState<IRunProvenance | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { api, connection, workflow, version, onLoaded, published } = props;
  const publications = useSignal(published);
  useEffect(() => {
    let current = true;
    api
      .run(connection, workflow)
      .then(answer => {
        if (current) {
          setProvenance(answer);
          setProblem(null);
          onLoaded?.(answer);
        }
      })
      .catch(reason => current && setProblem(messageOf(reason)));
    return () => {
      current = false;
    };
  }, [api, connection, workflow, version, publications]);
  if (problem) {
    return <p className="jp-ReanaOpenbis-muted">{t.__('No provenance: %1', problem)}</p>;
  }
  if (!provenance || !provenance.record) {
    return null;
  }
  return (
    <div className="jp-ReanaOpenbis-runProvenance">
      <h3>{t.__('openBIS inputs')}</h3>
      <DatasetList
        datasets={provenance.inputs}
        empty={t.__('This run took no dataset from openBIS.')}
        onOpen={props.onOpenDataset}
      />
      <h3>{t.__('Published to openBIS')}</h3>
      <DatasetList
        datasets={provenance.published}
        empty={t.__('Nothing published from this run yet.')}
        onOpen={props.onOpenDataset}
      />
    </div>
  );
}

function DatasetList(props: {
  datasets: readonly IProvenanceDataset[];
  empty: string;
  onOpen: (connection: string, permId: string) => void;
}): JSX.Element {
  const t = useTranslation();
  if (props.datasets.length === 0) {
    return <p className="jp-ReanaOpenbis-muted">{props.empty}</p>;
  }
  return (
    <ul className="jp-ReanaOpenbis-lineage">
      {props.datasets.map(dataset => (
        <li key={`${dataset.server}:${dataset.permId}`}>
          {dataset.connection ? (
            <button
              type="button"
              className="jp-ReanaOpenbis-link"
              title={t.__('Open dataset %1', dataset.name ?? dataset.permId)}
              onClick={() => props.onOpen(dataset.connection ?? '', dataset.permId)}
            >
              {shownName(dataset.name ?? dataset.permId)}
            </button>
          ) : (
            <span title={t.__('No openBIS connection to %1', dataset.server ?? '')}>
              {shownName(dataset.name ?? dataset.permId)}
            </span>
          )}
          <span className="jp-ReanaOpenbis-muted">
            {shownName(dataset.type)} <code>{shownName(dataset.permId)}</code>
          </span>
        </li>
      ))}
    </ul>
  );
}
