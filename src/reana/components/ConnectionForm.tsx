import { ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import React, { useState } from 'react';

import { IConnectionInput } from '../api';

/** The form's values; kept across a failed attempt so the user only fixes what was wrong. */
export interface IConnectionFormValues {
  name: string;
  url: string;
  accessToken: string;
  verifyCertificates: boolean;
}

/** Why the last attempt failed, next to the field at fault (`field` absent: the whole form). */
export interface IFormError {
  field?: 'name' | 'url' | 'accessToken';
  message: string;
}

/**
 * The body of the add/edit REANA connection dialog: a widget with `getValue()`, as
 * JupyterLab's `showDialog` expects.
 */
export class ConnectionFormBody extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    private _values: IConnectionFormValues,
    private readonly _options: { editing: boolean; preset: boolean; error?: IFormError }
  ) {
    super();
    this.addClass('jp-ReanaOpenbis-form');
  }

  getValue(): IConnectionFormValues {
    return this._values;
  }

  render(): JSX.Element {
    return (
      <ConnectionFields
        trans={this._trans}
        initial={this._values}
        editing={this._options.editing}
        preset={this._options.preset}
        error={this._options.error}
        onChange={values => (this._values = values)}
      />
    );
  }
}

/** What to send: on edit, only what changed, and a token only when one was typed. */
export function connectionInput(values: IConnectionFormValues, editing: boolean): IConnectionInput {
  const input: IConnectionInput = {};
  if (!editing) {
    input.name = values.name.trim();
  }
  input.url = values.url.trim();
  input.verifyCertificates = values.verifyCertificates;
  if (values.accessToken) {
    input.accessToken = values.accessToken;
  }
  return input;
}

function ConnectionFields(props: {
  trans: TranslationBundle;
  initial: IConnectionFormValues;
  editing: boolean;
  preset: boolean;
  error?: IFormError;
  onChange: (values: IConnectionFormValues) => void;
}): JSX.Element {
  const { trans, error } = props;
  const [values, setValues] = useState(props.initial);
  const update = (change: Partial<IConnectionFormValues>) => {
    const next = { ...values, ...change };
    setValues(next);
    props.onChange(next);
  };
  /** The field's error, then its help line, both read with the field (`aria-describedby`). */
  const described = (field: NonNullable<IFormError['field']>, help?: string) => {
    const id = `jp-ReanaOpenbis-reana-${field}`;
    const fieldError = error && error.field === field ? error.message : null;
    const ids = [fieldError ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean);
    return {
      inputProps: {
        'aria-describedby': ids.join(' ') || undefined,
        'aria-invalid': fieldError ? true : undefined
      },
      after: (
        <>
          {fieldError && (
            <span id={`${id}-error`} className="jp-ReanaOpenbis-fieldError" role="alert">
              {fieldError}
            </span>
          )}
          {help && (
            <span id={`${id}-help`} className="jp-ReanaOpenbis-fieldHelp">
              {help}
            </span>
          )}
        </>
      )
    };
  };
  const name = described('name', trans.__('How this connection is called in the panel.'));
  const url = described('url', trans.__('The address of the REANA server, as in your browser.'));
  const token = described(
    'accessToken',
    props.editing
      ? trans.__('Leave empty to keep the current token.')
      : trans.__(
          'On your REANA profile page. Checked with REANA before it is saved; kept in server memory only, never written to disk.'
        )
  );
  return (
    <div className="jp-ReanaOpenbis-formFields">
      {props.preset && (
        <p className="jp-ReanaOpenbis-fieldHelp">
          {trans.__(
            'Your administrator set up this connection: only the access token can be changed.'
          )}
        </p>
      )}
      <label>
        {trans.__('Name')}
        <input
          className="jp-mod-styled"
          name="name"
          value={values.name}
          disabled={props.editing || props.preset}
          readOnly={props.preset}
          maxLength={64}
          placeholder={trans.__('e.g. reana-cern')}
          onChange={e => update({ name: e.target.value })}
          {...name.inputProps}
        />
        {name.after}
      </label>
      <label>
        {trans.__('Server URL')}
        <input
          className="jp-mod-styled"
          name="url"
          type="url"
          value={values.url}
          disabled={props.preset}
          maxLength={2000}
          placeholder={trans.__('e.g. https://reana.cern.ch')}
          onChange={e => update({ url: e.target.value })}
          {...url.inputProps}
        />
        {url.after}
      </label>
      <label>
        {trans.__('Access token')}
        <input
          className="jp-mod-styled"
          name="accessToken"
          type="password"
          autoComplete="off"
          value={values.accessToken}
          maxLength={4000}
          placeholder={props.editing ? trans.__('unchanged') : ''}
          onChange={e => update({ accessToken: e.target.value })}
          {...token.inputProps}
        />
        {token.after}
      </label>
      <label className="jp-ReanaOpenbis-checkbox">
        <input
          type="checkbox"
          name="verifyCertificates"
          checked={values.verifyCertificates}
          disabled={props.preset}
          onChange={e => update({ verifyCertificates: e.target.checked })}
        />
        {trans.__('Verify the server certificate')}
      </label>
      {!values.verifyCertificates && (
        <p className="jp-ReanaOpenbis-formWarning" role="alert">
          {trans.__(
            'Without certificate checks, anyone between you and the server can read your token. Turn this off only for a test server you trust.'
          )}
        </p>
      )}
      {values.url.trim().toLowerCase().startsWith('http://') && (
        <p className="jp-ReanaOpenbis-formWarning">
          {trans.__('Plain HTTP: the access token travels unencrypted.')}
        </p>
      )}
      {error && !error.field && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}
