import React, { useState } from 'react';

import { useTranslation } from '../components/translation';
import { defaultInputFolder, IRunInput } from './api';

/**
 * The Run on REANA dialog's "openBIS inputs" part: each dataset with its workspace folder
 * (editable), a way to add one by permId, and the datasets downloaded earlier into the
 * spec's folder, which the provenance record lists as inputs too.
 */
export function RunInputsField(props: {
  inputs: IRunInput[];
  connections: readonly string[];
  downloaded: readonly string[];
  errors: { readonly [field: string]: string };
  onChange: () => void;
}): JSX.Element {
  const t = useTranslation();
  const { inputs, errors } = props;
  const [connection, setConnection] = useState(props.connections[0] ?? '');
  const [permId, setPermId] = useState('');
  const add = () => {
    const id = permId.trim();
    if (id && connection && !inputs.some(i => i.permId === id)) {
      inputs.push({ connection, permId: id, folder: '' });
      setPermId('');
      props.onChange();
    }
  };
  return (
    <fieldset className="jp-ReanaOpenbis-runInputs" aria-label={t.__('openBIS inputs')}>
      <legend>{t.__('openBIS inputs')}</legend>
      <p className="jp-ReanaOpenbis-muted">
        {t.__(
          'Streamed from openBIS into the run’s workspace (no copy here), then the run starts.'
        )}
      </p>
      {inputs.length > 0 && (
        <ul className="jp-ReanaOpenbis-runInputList">
          {inputs.map((input, index) => {
            const error =
              errors[`openbisInputs[${index}].folder`] ??
              errors[`openbisInputs[${index}].permId`] ??
              errors[`openbisInputs[${index}].connection`];
            return (
              <li key={`${input.connection}:${input.permId}`}>
                <span className="jp-ReanaOpenbis-runInputName" title={input.permId}>
                  {input.name ?? input.permId}
                </span>
                <label>
                  <span className="jp-ReanaOpenbis-muted">{t.__('into')}</span>
                  <input
                    className="jp-mod-styled"
                    name={`inputFolder${index}`}
                    aria-label={t.__('Workspace folder of %1', input.name ?? input.permId)}
                    placeholder={defaultInputFolder(input)}
                    value={input.folder}
                    onChange={event => {
                      input.folder = event.target.value;
                      props.onChange();
                    }}
                  />
                </label>
                <button
                  type="button"
                  className="jp-Button jp-mod-minimal jp-mod-styled"
                  aria-label={t.__('Remove %1', input.name ?? input.permId)}
                  onClick={() => {
                    inputs.splice(index, 1);
                    props.onChange();
                  }}
                >
                  {t.__('Remove')}
                </button>
                {error && (
                  <span className="jp-ReanaOpenbis-fieldError" role="alert">
                    {error}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {props.connections.length > 0 && (
        <div className="jp-ReanaOpenbis-runInputAdd">
          {props.connections.length > 1 && (
            <select
              className="jp-mod-styled"
              aria-label={t.__('openBIS connection')}
              value={connection}
              onChange={event => setConnection(event.target.value)}
            >
              {props.connections.map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
          <input
            className="jp-mod-styled"
            name="inputPermId"
            aria-label={t.__('permId of a dataset to add')}
            placeholder={t.__('Dataset permId, e.g. 20240102010000000-15')}
            value={permId}
            onChange={event => setPermId(event.target.value)}
            onKeyDown={event => {
              if (event.key === 'Enter') {
                event.preventDefault();
                event.stopPropagation();
                add();
              }
            }}
          />
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject"
            disabled={!permId.trim()}
            onClick={add}
          >
            {t.__('Add')}
          </button>
        </div>
      )}
      {props.downloaded.length > 0 && (
        <p className="jp-ReanaOpenbis-muted">
          {t.__(
            'Downloaded earlier into this folder, recorded as inputs too: %1',
            props.downloaded.join(', ')
          )}
        </p>
      )}
    </fieldset>
  );
}
