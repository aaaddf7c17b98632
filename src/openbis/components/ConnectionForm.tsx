import React from 'react';

import { useSignal } from '../../components/hooks';
import { useTranslation } from '../../components/translation';
import {
  ConnectionField,
  ConnectionFormModel,
  IConnectionFormValues
} from '../ConnectionFormModel';

/**
 * The inputs of the connection dialog, each with its error right below it (linked by
 * `aria-describedby`), so the user sees which input to fix and keeps everything typed.
 */
export function ConnectionForm(props: { model: ConnectionFormModel }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  useSignal(model.changed);
  const { values, errors } = model;
  const editing = model.mode === 'edit';
  const loginOnly = model.mode === 'login';
  const text = (field: ConnectionField, label: string, extra: Partial<ITextProps> = {}) => (
    <TextField
      model={model}
      field={field}
      label={label}
      value={values[field] as string}
      error={errors[field]}
      {...extra}
    />
  );
  return (
    <form
      className="jp-ReanaOpenbis-form"
      aria-busy={model.submitting}
      onSubmit={event => event.preventDefault()}
    >
      {loginOnly ? (
        <p className="jp-ReanaOpenbis-muted">{values.url}</p>
      ) : (
        <>
          {text('name', trans.__('Name'), {
            autoFocus: true,
            placeholder: trans.__('e.g. institute'),
            help: trans.__('How this connection is called in the panel.')
          })}
          {text('url', trans.__('openBIS URL'), {
            placeholder: trans.__('https://openbis.example.org')
          })}
        </>
      )}
      <fieldset disabled={loginOnly} className="jp-ReanaOpenbis-formChoice">
        <legend>{trans.__('Log in with')}</legend>
        <label>
          <input
            type="radio"
            name="auth"
            checked={values.auth === 'password'}
            onChange={() => model.set('auth', 'password')}
          />
          {trans.__('User name and password')}
        </label>
        <label>
          <input
            type="radio"
            name="auth"
            checked={values.auth === 'token'}
            onChange={() => model.set('auth', 'token')}
          />
          {trans.__('Personal access token')}
        </label>
      </fieldset>
      {values.auth === 'password' ? (
        <>
          {text('username', trans.__('User name'), { autoComplete: 'username' })}
          {text('password', trans.__('Password'), {
            type: 'password',
            autoFocus: loginOnly,
            autoComplete: 'current-password',
            help: editing ? trans.__('Leave empty to keep the connection logged out.') : undefined
          })}
        </>
      ) : (
        text('token', trans.__('Personal access token'), {
          type: 'password',
          autoFocus: loginOnly,
          autoComplete: 'off',
          help: editing ? trans.__('Leave empty to keep the connection logged out.') : undefined
        })
      )}
      <Check
        checked={values.remember}
        onChange={value => model.set('remember', value)}
        label={trans.__('Remember for this server session')}
        help={trans.__(
          'Kept in server memory only, so an expired openBIS session renews itself; never written to disk.'
        )}
      />
      {!loginOnly && (
        <Check
          checked={values.verifyCertificates}
          onChange={value => model.set('verifyCertificates', value)}
          label={trans.__('Verify the server certificate')}
        />
      )}
      {!values.verifyCertificates && (
        <p className="jp-ReanaOpenbis-formWarning" role="alert">
          {trans.__(
            'Without certificate checks, anyone between you and the server can read your password and data. Turn this off only for a test server you trust.'
          )}
        </p>
      )}
      {values.url.trim().toLowerCase().startsWith('http://') && (
        <p className="jp-ReanaOpenbis-formWarning">
          {trans.__('Plain HTTP: the password or token travels unencrypted.')}
        </p>
      )}
      {errors.form && (
        <p className="jp-ReanaOpenbis-formError" role="alert">
          {errors.form}
        </p>
      )}
      {model.submitting && (
        <p className="jp-ReanaOpenbis-muted" role="status">
          {trans.__('Connecting…')}
        </p>
      )}
    </form>
  );
}

interface ITextProps {
  model: ConnectionFormModel;
  field: ConnectionField;
  label: string;
  value: string;
  error?: string;
  type?: 'text' | 'password';
  placeholder?: string;
  autoComplete?: string;
  help?: string;
  /** The dialog's first input: React may mount it after the dialog placed the focus. */
  autoFocus?: boolean;
}

function TextField(props: ITextProps): JSX.Element {
  const id = `jp-ReanaOpenbis-connection-${props.field}`;
  const described = [props.error ? `${id}-error` : '', props.help ? `${id}-help` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="jp-ReanaOpenbis-formField">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className={`jp-mod-styled${props.error ? ' jp-mod-invalid' : ''}`}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete}
        spellCheck={false}
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={event =>
          props.model.set(
            props.field,
            event.target.value as IConnectionFormValues[typeof props.field]
          )
        }
      />
      {props.error && (
        <span id={`${id}-error`} className="jp-ReanaOpenbis-fieldError">
          {props.error}
        </span>
      )}
      {props.help && (
        <span id={`${id}-help`} className="jp-ReanaOpenbis-fieldHelp">
          {props.help}
        </span>
      )}
    </div>
  );
}

function Check(props: {
  checked: boolean;
  onChange: (value: boolean) => void;
  label: string;
  help?: string;
}): JSX.Element {
  return (
    <div className="jp-ReanaOpenbis-formCheck">
      <label>
        <input
          type="checkbox"
          checked={props.checked}
          onChange={event => props.onChange(event.target.checked)}
        />
        {props.label}
      </label>
      {props.help && <span className="jp-ReanaOpenbis-fieldHelp">{props.help}</span>}
    </div>
  );
}
