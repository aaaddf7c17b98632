import React from 'react';
import { refreshIcon } from '@jupyterlab/ui-components';

import { useTranslation } from '../../components/translation';
import { shownName, shownText } from '../../components/names';
import { ISpecMessage } from '../api';
import { ValidationModel } from '../ValidationModel';
import { useSignal } from '../../components/hooks';
import { ReanaClientMissing } from './ReanaClientMissing';

/** The verdict on one spec and its located messages; a click opens the file there. */
export function ValidationView(props: {
  model: ValidationModel;
  onJump: (message: ISpecMessage) => void;
}): JSX.Element {
  const trans = useTranslation();
  const { model } = props;
  useSignal(model.changed);
  const { state } = model;
  let body: JSX.Element;
  switch (state.status) {
    case 'checking':
      body = <p className="jp-ReanaOpenbis-muted">{trans.__('Validating…')}</p>;
      break;
    case 'reana_client_missing':
      body = <ReanaClientMissing command={state.command} />;
      break;
    case 'failed':
      body = (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {shownText(state.message)}
        </p>
      );
      break;
    case 'done': {
      const { result } = state;
      const verdict =
        result.verdict === 'valid'
          ? trans.__('Valid REANA specification')
          : result.verdict === 'valid-with-warnings'
            ? trans._n('Valid, with %1 warning', 'Valid, with %1 warnings', result.warnings.length)
            : trans._n('Not valid: %1 error', 'Not valid: %1 errors', result.errors.length);
      body = (
        <>
          <p className={`jp-ReanaOpenbis-verdict jp-mod-${result.verdict}`} role="status">
            {verdict}
            {result.engine && (
              <span className="jp-ReanaOpenbis-muted">
                {' '}
                · {trans.__('engine %1', result.engine)}
              </span>
            )}
            {result.validatedBy === 'server' && (
              <span className="jp-ReanaOpenbis-muted">
                {' '}
                · {trans.__('checked by the REANA server')}
              </span>
            )}
          </p>
          <MessageList
            label={trans.__('Errors')}
            kind="error"
            messages={result.errors}
            onJump={props.onJump}
          />
          <MessageList
            label={trans.__('Warnings')}
            kind="warning"
            messages={result.warnings}
            onJump={props.onJump}
          />
        </>
      );
      break;
    }
  }
  return (
    <div className="jp-ReanaOpenbis-validation">
      <header className="jp-ReanaOpenbis-viewHeader">
        <h2 title={shownName(model.path)}>{shownName(model.path.split('/').pop())}</h2>
        <div className="jp-ReanaOpenbis-viewActions">
          <button
            className="jp-Button jp-mod-minimal jp-ReanaOpenbis-iconButton"
            title={trans.__('Validate again')}
            aria-label={trans.__('Validate again')}
            onClick={() => void model.validate()}
          >
            <refreshIcon.react tag="span" />
          </button>
        </div>
      </header>
      <p className="jp-ReanaOpenbis-muted jp-ReanaOpenbis-specPath">{shownName(model.path)}</p>
      {body}
    </div>
  );
}

function MessageList(props: {
  label: string;
  kind: 'error' | 'warning';
  messages: readonly ISpecMessage[];
  onJump: (message: ISpecMessage) => void;
}): JSX.Element | null {
  const trans = useTranslation();
  if (props.messages.length === 0) {
    return null;
  }
  return (
    <section>
      <h3>{props.label}</h3>
      <ul className="jp-ReanaOpenbis-messages" aria-label={props.label}>
        {props.messages.map((message, index) => (
          <li key={index} className={`jp-mod-${props.kind}`}>
            <button
              className="jp-ReanaOpenbis-message"
              onClick={() => props.onJump(message)}
              title={trans.__('Open the file here')}
            >
              <span className="jp-ReanaOpenbis-position">
                {message.line
                  ? trans.__('line %1, column %2', message.line, message.column ?? 1)
                  : trans.__('file')}
              </span>
              <span>{shownText(message.message)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
