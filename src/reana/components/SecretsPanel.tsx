import { deleteIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

import { IconButton } from '../../components/IconButton';
import { useTranslation } from '../../components/translation';
import { ISecret } from '../api';
import { textToBase64, toBase64 } from '../base64';
import { SecretsModel } from '../SecretsModel';
import { useSignal } from '../../components/hooks';

/**
 * A connection's REANA secrets: the list (names and types; REANA never gives a value back),
 * delete with a second click, and a form that adds an environment variable or a file. The
 * value lives in the form only until REANA has it.
 */
export function SecretsPanel(props: { model: SecretsModel }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  useSignal(model.changed);
  useEffect(() => {
    void model.load();
  }, [model]);
  const secrets = model.secrets;
  return (
    <div className="jp-ReanaOpenbis-secrets">
      <p className="jp-ReanaOpenbis-fieldHelp">
        {trans.__(
          'REANA gives every job of your runs these secrets: an environment variable, or a file in /etc/reana/secrets/. Their values are never shown again.'
        )}
      </p>
      {model.problem && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {model.problem.message}
        </p>
      )}
      {secrets === null ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</p>
      ) : secrets.length === 0 ? (
        <p className="jp-ReanaOpenbis-muted">{trans.__('No secrets yet.')}</p>
      ) : (
        <ul className="jp-ReanaOpenbis-secretList" aria-label={trans.__('Secrets')}>
          {secrets.map(secret => (
            <SecretRow key={secret.name} secret={secret} model={model} />
          ))}
        </ul>
      )}
      <AddSecretForm model={model} />
    </div>
  );
}

function SecretRow(props: { secret: ISecret; model: SecretsModel }): JSX.Element {
  const trans = useTranslation();
  const { secret, model } = props;
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="jp-ReanaOpenbis-secret">
      <code>{secret.name}</code>
      <span className="jp-ReanaOpenbis-tag">
        {secret.type === 'file' ? trans.__('file') : trans.__('environment variable')}
      </span>
      {confirming ? (
        <span className="jp-ReanaOpenbis-secretConfirm">
          <button
            className="jp-Button jp-mod-styled jp-mod-warn"
            disabled={model.busy}
            onClick={() => void model.remove(secret.name)}
          >
            {trans.__('Delete %1', secret.name)}
          </button>
          <button className="jp-Button jp-mod-minimal" onClick={() => setConfirming(false)}>
            {trans.__('Keep')}
          </button>
        </span>
      ) : (
        <IconButton
          label={trans.__('Delete the secret %1…', secret.name)}
          icon={deleteIcon}
          onClick={() => setConfirming(true)}
          disabled={model.busy}
        />
      )}
    </li>
  );
}

function AddSecretForm(props: { model: SecretsModel }): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'env' | 'file'>('env');
  const [value, setValue] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [message, setMessage] = useState<{ text: string; exists?: boolean } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ready = name.trim() !== '' && (kind === 'env' ? value !== '' : file !== null);

  const clear = () => {
    setValue('');
    setFile(null);
    if (fileInput.current) {
      fileInput.current.value = '';
    }
  };

  const send = async (overwrite: boolean) => {
    const encoded =
      kind === 'env'
        ? textToBase64(value)
        : toBase64(new Uint8Array(await (file as File).arrayBuffer()));
    const outcome = await model.add({ name: name.trim(), type: kind, value: encoded, overwrite });
    if (outcome.kind === 'added') {
      setMessage({ text: trans.__('Added %1.', name.trim()) });
      setName('');
      clear();
    } else if (outcome.kind === 'exists') {
      setMessage({
        text: trans.__('A secret named %1 exists already.', name.trim()),
        exists: true
      });
    } else {
      setMessage({ text: outcome.problem.message });
    }
  };

  return (
    <form
      className="jp-ReanaOpenbis-form jp-ReanaOpenbis-secretForm"
      aria-label={trans.__('Add a secret')}
      onSubmit={event => {
        event.preventDefault();
        if (ready) {
          void send(false);
        }
      }}
    >
      <h3>{trans.__('Add a secret')}</h3>
      <label>
        {trans.__('Name')}
        <input
          className="jp-mod-styled"
          name="secretName"
          value={name}
          maxLength={253}
          autoComplete="off"
          placeholder={kind === 'env' ? 'API_TOKEN' : 'user.keytab'}
          onChange={e => {
            setName(e.target.value);
            setMessage(null);
          }}
        />
      </label>
      <fieldset className="jp-ReanaOpenbis-formChoice">
        <legend>{trans.__('Given to jobs as')}</legend>
        <label>
          <input
            type="radio"
            name="secretKind"
            checked={kind === 'env'}
            onChange={() => setKind('env')}
          />
          {trans.__('an environment variable')}
        </label>
        <label>
          <input
            type="radio"
            name="secretKind"
            checked={kind === 'file'}
            onChange={() => setKind('file')}
          />
          {trans.__('a file')}
        </label>
      </fieldset>
      {kind === 'env' ? (
        <label>
          {trans.__('Value')}
          <input
            className="jp-mod-styled"
            type="password"
            name="secretValue"
            value={value}
            autoComplete="new-password"
            onChange={e => setValue(e.target.value)}
          />
        </label>
      ) : (
        <label>
          {trans.__('File from your computer')}
          <input
            ref={fileInput}
            type="file"
            name="secretFile"
            onChange={e => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
      )}
      {message && (
        <p
          className={message.exists ? 'jp-ReanaOpenbis-warning' : 'jp-ReanaOpenbis-muted'}
          role="status"
        >
          {message.text}{' '}
          {message.exists && (
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-warn"
              disabled={model.busy || !ready}
              onClick={() => void send(true)}
            >
              {trans.__('Replace it')}
            </button>
          )}
        </p>
      )}
      <button
        type="submit"
        className="jp-Button jp-mod-styled jp-mod-accept"
        disabled={!ready || model.busy}
      >
        {trans.__('Add secret')}
      </button>
    </form>
  );
}
