import { PathExt } from '@jupyterlab/coreutils';
import React, { useId, useState } from 'react';

import { useSignal } from '../components/hooks';
import { shownName, shownText } from '../components/names';
import { datasetLabel } from '../openbis/label';
import { useTranslation } from '../components/translation';
import { PublishFilesField } from '../provenance/PublishFilesField';
import { IPropertyField, propertyFieldName } from './fields';
import { UploadFormModel } from './UploadFormModel';

/** An error line under a field; its id ties it to the input (`aria-describedby`). */
/** Where the run summary goes (a multi-line property of the type), shown before publishing. */
function SummaryNote(props: { model: UploadFormModel }): JSX.Element {
  const trans = useTranslation();
  const field = props.model.summaryField;
  return (
    <p className="jp-ReanaOpenbis-summaryNote" title={props.model.publish?.summary}>
      {field
        ? trans.__('A summary of the run (server, run, id, link) is added to “%1”.', field.label)
        : trans.__(
            'This dataset type has no multi-line property: the run is described by the dataset’s provenance/ files only.'
          )}
    </p>
  );
}

function FieldError(props: { id: string; message: string | undefined }): JSX.Element | null {
  if (!props.message) {
    return null;
  }
  return (
    <div id={props.id} className="jp-ReanaOpenbis-fieldError">
      {shownText(props.message)}
    </div>
  );
}

/** The "Upload to openBIS" form: connection, target, type, properties, parents, notebook. */
export function UploadForm(props: { model: UploadFormModel }): JSX.Element {
  const { model } = props;
  useSignal(model.changed);
  const trans = useTranslation();
  const id = useId();
  const names = model.paths.map(path => PathExt.basename(path));
  return (
    <div className="jp-ReanaOpenbis-uploadForm">
      {!model.publish && (
        <p
          className="jp-ReanaOpenbis-uploadWhat"
          title={model.paths.map(path => shownName(path)).join('\n')}
        >
          {model.paths.length === 1
            ? trans.__('A new dataset with %1', names[0])
            : trans.__('A new dataset with %1 items: %2', model.paths.length, names.join(', '))}
        </p>
      )}
      {model.message && (
        <div className="jp-ReanaOpenbis-formMessage" role="alert">
          {shownText(model.message)}
        </div>
      )}
      {model.publish && (
        <PublishFilesField
          files={model.publish.files}
          workflow={model.publish.workflow}
          error={model.error('paths')}
          id={`${id}-paths`}
        />
      )}
      <ConnectionField model={model} id={`${id}-connection`} />
      {!model.needsLogin && (
        <>
          <TargetField model={model} id={`${id}-target`} />
          <TypeField model={model} id={`${id}-type`} />
          {model.fields.length > 0 && (
            <fieldset className="jp-ReanaOpenbis-uploadProperties">
              <legend>{trans.__('Properties')}</legend>
              {model.fields.map(field => (
                <PropertyInput key={field.code} model={model} field={field} id={`${id}-p`} />
              ))}
            </fieldset>
          )}
          {model.publish && <SummaryNote model={model} />}
          <ParentsField model={model} id={`${id}-parents`} />
          {model.notebook && (
            <label className="jp-ReanaOpenbis-checkRow">
              <input
                type="checkbox"
                checked={model.includeNotebook}
                onChange={event => model.setIncludeNotebook(event.target.checked)}
              />
              {trans.__(
                'Include the notebook %1 and its requirements.txt/runtime.txt',
                PathExt.basename(model.notebook)
              )}
            </label>
          )}
        </>
      )}
    </div>
  );
}

function ConnectionField(props: { model: UploadFormModel; id: string }): JSX.Element {
  const { model, id } = props;
  const trans = useTranslation();
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(true);
  const info = model.connectionInfo;
  const loginError = model.error('login');
  return (
    <div className="jp-ReanaOpenbis-formRow">
      <label htmlFor={id}>{trans.__('openBIS connection')}</label>
      <select
        id={id}
        className="jp-mod-styled"
        value={model.connection}
        aria-invalid={!!model.error('connection')}
        aria-describedby={`${id}-error`}
        onChange={event => void model.setConnection(event.target.value)}
      >
        {model.connections.map(connection => (
          <option key={connection.name} value={connection.name}>
            {connection.name} ({connection.url})
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={model.error('connection')} />
      {model.needsLogin && info && (
        <div className="jp-ReanaOpenbis-uploadLogin">
          <label htmlFor={`${id}-secret`}>
            {info.auth === 'token'
              ? trans.__('Personal access token for %1', info.name)
              : trans.__('Password of %1 on %2', info.username ?? '', info.name)}
          </label>
          <div className="jp-ReanaOpenbis-inlineRow">
            <input
              id={`${id}-secret`}
              type="password"
              className="jp-mod-styled"
              autoComplete="current-password"
              value={secret}
              aria-invalid={!!loginError}
              aria-describedby={`${id}-secret-error`}
              onChange={event => setSecret(event.target.value)}
              onKeyDown={event => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  event.stopPropagation();
                  void model.login(secret, remember).then(ok => ok && setSecret(''));
                }
              }}
            />
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept"
              disabled={model.busy}
              onClick={() => void model.login(secret, remember).then(ok => ok && setSecret(''))}
            >
              {trans.__('Log in')}
            </button>
          </div>
          <label className="jp-ReanaOpenbis-checkRow">
            <input
              type="checkbox"
              checked={remember}
              onChange={event => setRemember(event.target.checked)}
            />
            {trans.__('Remember for this server session')}
          </label>
          <FieldError id={`${id}-secret-error`} message={loginError} />
        </div>
      )}
    </div>
  );
}

function TargetField(props: { model: UploadFormModel; id: string }): JSX.Element {
  const { model, id } = props;
  const trans = useTranslation();
  const error = model.error('target.id') ?? model.error('target') ?? model.error('target.kind');
  const target = model.target;
  return (
    <div className="jp-ReanaOpenbis-formRow">
      <label htmlFor={id}>
        {trans.__('Attach to')} <span className="jp-ReanaOpenbis-mandatory">*</span>
      </label>
      <div className="jp-ReanaOpenbis-inlineRow">
        <select
          className="jp-mod-styled"
          aria-label={trans.__('Target kind')}
          value={model.targetKind}
          onChange={event => model.setTargetKind(event.target.value as 'object' | 'collection')}
        >
          <option value="object">{trans.__('Object')}</option>
          <option value="collection">{trans.__('Collection')}</option>
        </select>
        <input
          id={id}
          type="search"
          className="jp-mod-styled"
          placeholder={
            model.targetKind === 'object'
              ? trans.__('Search objects by code or name')
              : trans.__('Search collections by code or name')
          }
          value={model.targetQuery}
          aria-invalid={!!error}
          aria-describedby={`${id}-error`}
          onChange={event => model.setTargetQuery(event.target.value)}
        />
      </div>
      {target && (
        <div className="jp-ReanaOpenbis-chosen">
          {trans.__('Chosen: %1', target.identifier)}
          {target.name ? ` — ${shownName(target.name)}` : ''}
        </div>
      )}
      {model.targetResults.length > 0 && (
        <ul className="jp-ReanaOpenbis-choices" aria-label={trans.__('Matching targets')}>
          {model.targetResults.map(result => (
            <li key={result.id}>
              <button
                type="button"
                className={
                  target?.id === result.id
                    ? 'jp-ReanaOpenbis-choice jp-mod-selected'
                    : 'jp-ReanaOpenbis-choice'
                }
                aria-pressed={target?.id === result.id}
                onClick={() => model.chooseTarget(result)}
              >
                <span className="jp-ReanaOpenbis-choiceMain">{shownName(result.identifier)}</span>
                {result.name && (
                  <span className="jp-ReanaOpenbis-muted">{shownName(result.name)}</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function TypeField(props: { model: UploadFormModel; id: string }): JSX.Element {
  const { model, id } = props;
  const trans = useTranslation();
  const chosen = model.types.find(type => type.code === model.datasetType);
  return (
    <div className="jp-ReanaOpenbis-formRow">
      <label htmlFor={id}>
        {trans.__('Dataset type')} <span className="jp-ReanaOpenbis-mandatory">*</span>
      </label>
      <select
        id={id}
        className="jp-mod-styled"
        value={model.datasetType}
        aria-invalid={!!model.error('datasetType')}
        aria-describedby={`${id}-help ${id}-error`}
        onChange={event => model.setDatasetType(event.target.value)}
      >
        {model.types.length === 0 && <option value="">{trans.__('Loading…')}</option>}
        {model.types.map(type => (
          <option key={type.code} value={type.code}>
            {shownName(type.code)}
          </option>
        ))}
      </select>
      {chosen?.description && (
        <div id={`${id}-help`} className="jp-ReanaOpenbis-fieldHelp">
          {shownText(chosen.description)}
        </div>
      )}
      <FieldError id={`${id}-error`} message={model.error('datasetType')} />
    </div>
  );
}

/** One property: the input its data type calls for, its help and its error. */
function PropertyInput(props: {
  model: UploadFormModel;
  field: IPropertyField;
  id: string;
}): JSX.Element {
  const { model, field } = props;
  const trans = useTranslation();
  const id = `${props.id}-${field.code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const error = model.error(propertyFieldName(field.code));
  const value = model.value(field.code);
  const common = {
    id,
    value,
    'aria-invalid': !!error,
    'aria-describedby': `${id}-help ${id}-error`,
    'aria-required': field.mandatory,
    className: 'jp-mod-styled'
  };
  const set = (raw: string) => model.setValue(field.code, raw);
  let input: JSX.Element;
  switch (field.input) {
    case 'vocabulary':
      input = (
        <select {...common} onChange={event => set(event.target.value)}>
          <option value="">{trans.__('— none —')}</option>
          {field.options.map(option => (
            <option key={option.value} value={option.value}>
              {shownName(option.label)}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      input = (
        <select {...common} onChange={event => set(event.target.value)}>
          {!field.mandatory && <option value="">{trans.__('— not set —')}</option>}
          <option value="true">{trans.__('Yes')}</option>
          <option value="false">{trans.__('No')}</option>
        </select>
      );
      break;
    case 'multiline':
      input = <textarea {...common} rows={3} onChange={event => set(event.target.value)} />;
      break;
    case 'date':
      input = <input {...common} type="date" onChange={event => set(event.target.value)} />;
      break;
    case 'timestamp':
      input = (
        <input
          {...common}
          type="datetime-local"
          step={1}
          onChange={event => set(event.target.value)}
        />
      );
      break;
    case 'integer':
      input = (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          onChange={event => set(event.target.value)}
        />
      );
      break;
    case 'real':
      input = (
        <input
          {...common}
          type="text"
          inputMode="decimal"
          onChange={event => set(event.target.value)}
        />
      );
      break;
    default:
      input = <input {...common} type="text" onChange={event => set(event.target.value)} />;
  }
  return (
    <div className="jp-ReanaOpenbis-formRow">
      <label htmlFor={id}>
        {shownName(field.label)}
        {field.mandatory && <span className="jp-ReanaOpenbis-mandatory"> *</span>}
      </label>
      {input}
      {field.help && field.help !== field.label && (
        <div id={`${id}-help`} className="jp-ReanaOpenbis-fieldHelp">
          {shownText(field.help)}
        </div>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function ParentsField(props: { model: UploadFormModel; id: string }): JSX.Element {
  const { model, id } = props;
  const trans = useTranslation();
  const candidates = model.parentCandidates;
  const errors = [...model.errors.entries()].filter(([field]) => field.startsWith('parents'));
  return (
    <fieldset className="jp-ReanaOpenbis-uploadParents">
      <legend>{trans.__('Parent datasets')}</legend>
      {candidates.length === 0 && (
        <p className="jp-ReanaOpenbis-muted">
          {trans.__('No openBIS dataset was downloaded into these folders. Search for parents:')}
        </p>
      )}
      {candidates.map(candidate => (
        <label key={candidate.permId} className="jp-ReanaOpenbis-checkRow">
          <input
            type="checkbox"
            checked={model.parents.includes(candidate.permId)}
            onChange={event => model.toggleParent(candidate.permId, event.target.checked)}
          />
          <span className="jp-ReanaOpenbis-candidate" title={shownName(candidate.permId)}>
            <span>{datasetLabel(candidate)}</span>
            <span className="jp-ReanaOpenbis-muted">
              <code>{shownName(candidate.permId)}</code>
              {candidate.source === 'manifest' &&
                ` · ${trans.__('downloaded here (%1)', candidate.description)}`}
              {candidate.source === 'run' && ` · ${trans.__('an input of the run')}`}
            </span>
          </span>
        </label>
      ))}
      <input
        type="search"
        className="jp-mod-styled"
        aria-label={trans.__('Search parent datasets')}
        placeholder={trans.__('Search datasets by code, name or property')}
        value={model.parentQuery}
        onChange={event => model.setParentQuery(event.target.value)}
      />
      {errors.map(([field, message]) => (
        <FieldError key={field} id={`${id}-${field}`} message={message} />
      ))}
    </fieldset>
  );
}
