import React, { useEffect, useState } from 'react';

import { FactList } from '../../components/FactList';
import { useTranslation } from '../../components/translation';
import { IServerInfo, ReanaApi } from '../api';
import { describeProblem } from '../status';
import { formatDuration } from '../status';

/** What a REANA server offers, in the words a user plans a run with; every entry below. */
export function ServerInfoView(props: { info: IServerInfo; version?: string | null }): JSX.Element {
  const trans = useTranslation();
  const { info } = props;
  const seconds = (value: number | null | undefined) => (value ? formatDuration(value * 1000) : '');
  const jobs = info.jobs;
  const facts: [string, React.ReactNode][] = [
    [trans.__('REANA version'), props.version ?? ''],
    [trans.__('Workflow engines'), info.engines?.join(', ') ?? ''],
    [trans.__('Compute backends'), info.computeBackends.join(', ')],
    [
      trans.__('Workspace files kept'),
      info.retentionDays === null
        ? trans.__('until the run is deleted')
        : trans.__(
            '%1 days after a run ends (rules of a run must ask for fewer)',
            info.retentionDays
          )
    ],
    [
      trans.__('Job time limit'),
      jobs.maximumTimeout
        ? trans.__(
            '%1 by default, at most %2',
            seconds(jobs.defaultTimeout),
            seconds(jobs.maximumTimeout)
          )
        : seconds(jobs.defaultTimeout)
    ],
    [
      trans.__('Job memory'),
      jobs.maximumMemoryLimit
        ? trans.__(
            '%1 by default, at most %2',
            jobs.defaultMemoryLimit ?? '?',
            jobs.maximumMemoryLimit
          )
        : (jobs.defaultMemoryLimit ?? '')
    ]
  ];
  return (
    <div className="jp-ReanaOpenbis-serverInfo">
      <FactList facts={facts} />
      <RecommendedImages info={info} />
      {info.entries.length > 0 && (
        <details>
          <summary>{trans.__('Everything the server says')}</summary>
          <table className="jp-ReanaOpenbis-table" aria-label={trans.__('Server information')}>
            <tbody>
              {info.entries.map(entry => (
                <tr key={entry.key}>
                  <th scope="row">{entry.title}</th>
                  <td>{entry.value ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

/** The images the server recommends (or, when it runs only vetted ones, those), to copy. */
export function RecommendedImages(props: { info: IServerInfo }): JSX.Element | null {
  const trans = useTranslation();
  const { recommended, vettedOnly } = props.info.images;
  if (!recommended.length) {
    return null;
  }
  return (
    <div className="jp-ReanaOpenbis-images">
      <strong>
        {vettedOnly
          ? trans.__('This server runs only these images')
          : trans.__('Images this server recommends')}
      </strong>
      <ul>
        {recommended.map(image => (
          <li key={image}>
            <code>{image}</code>
            <button
              type="button"
              className="jp-Button jp-mod-minimal jp-ReanaOpenbis-copy"
              title={trans.__('Copy %1', image)}
              onClick={() => void navigator.clipboard?.writeText(image)}
            >
              {trans.__('Copy')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The server information of one connection, read when shown. */
export function ServerInfoLoader(props: {
  api: ReanaApi;
  connection: string;
  version?: string | null;
}): JSX.Element {
  const trans = useTranslation();
  const [state, setState] = useState<IServerInfo | string | null>(null);
  useEffect(() => {
    let current = true;
    props.api.serverInfo(props.connection).then(
      info => current && setState(info),
      reason => current && setState(describeProblem(reason).message)
    );
    return () => {
      current = false;
    };
  }, [props.api, props.connection]);
  if (state === null) {
    return <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>;
  }
  if (typeof state === 'string') {
    return (
      <p className="jp-ReanaOpenbis-error" role="alert">
        {state}
      </p>
    );
  }
  return <ServerInfoView info={state} version={props.version} />;
}
