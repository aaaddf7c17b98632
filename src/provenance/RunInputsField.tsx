import { ServerConnection } from '@jupyterlab/services';
import React, { useEffect, useRef, useState } from 'react';

import { useTranslation } from '../components/translation';
import { SearchCombobox } from '../components/SearchCombobox';
import { SearchListModel } from '../models/SearchListModel';
import { OpenbisClient } from '../openbis/client';
import { IOpenbisDataset } from '../openbis/types';
import { shownName } from '../components/names';
import { defaultInputFolder, IRunInput } from './api';

/** Matches shown at once: enough to pick from; more means type more. */
const SEARCH_RESULTS = 10;

/**
 * The Run on REANA dialog's "openBIS inputs" part: each dataset with its workspace folder
 * (editable), a search to add more (by code, name, property or permId), and the datasets
 * downloaded earlier into the spec's folder, which the provenance record lists as inputs too.
 */
export function RunInputsField(props: {
  inputs: IRunInput[];
  connections: readonly string[];
  downloaded: readonly string[];
  errors: { readonly [field: string]: string };
  onChange: () => void;
  serverSettings: ServerConnection.ISettings;
}): JSX.Element {
  const t = useTranslation();
  const { inputs, errors } = props;
  const [connection, setConnection] = useState(props.connections[0] ?? '');
  // Read by the search when it goes out, so a connection change needs no new model.
  const searched = useRef(connection);
  const [search] = useState(() => {
    const client = new OpenbisClient(props.serverSettings);
    return new SearchListModel<IOpenbisDataset>(query =>
      client.list<IOpenbisDataset>(searched.current, 'datasets', {
        start: 0,
        count: SEARCH_RESULTS,
        search: query
      })
    );
  });
  useEffect(() => () => search.dispose(), [search]);
  const add = (dataset: IOpenbisDataset) => {
    inputs.push({
      connection,
      permId: dataset.permId,
      name: dataset.name || null,
      type: dataset.type ?? null,
      folder: ''
    });
    props.onChange();
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
                <span className="jp-ReanaOpenbis-runInputName" title={shownName(input.permId)}>
                  <span>{shownName(input.name || input.permId)}</span>
                  <span className="jp-ReanaOpenbis-muted">
                    {shownName(
                      [input.type, input.name ? input.permId : null].filter(Boolean).join(' · ')
                    )}
                  </span>
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
              onChange={event => {
                setConnection(event.target.value);
                searched.current = event.target.value;
                search.refresh();
              }}
            >
              {props.connections.map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
          <SearchCombobox
            model={search}
            keyOf={dataset => dataset.permId}
            describe={dataset => ({
              main: dataset.name || dataset.code,
              detail: [dataset.type, dataset.permId].filter(Boolean).join(' · ')
            })}
            isChosen={dataset =>
              inputs.some(i => i.connection === connection && i.permId === dataset.permId)
            }
            onPick={add}
            label={t.__('Search openBIS datasets to add')}
            placeholder={t.__('Add a dataset: search by code, name, property or permId')}
            noMatch={query => t.__('No dataset matches “%1”.', query)}
          />
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
