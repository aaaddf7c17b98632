import React, { useState } from 'react';

import { useTranslation } from '../../components/translation';
import { shownName } from '../../components/names';
import { IParameterField } from '../parameters';

/** The spec's parameters as typed inputs, pre-filled; a changed value is an override. */
export function ParameterFields(props: {
  fields: IParameterField[];
  invalid?: readonly string[];
  onChange: () => void;
}): JSX.Element {
  const trans = useTranslation();
  const [, setVersion] = useState(0);
  if (props.fields.length === 0) {
    return (
      <p className="jp-ReanaOpenbis-muted">{trans.__('The specification has no parameters.')}</p>
    );
  }
  const set = (field: IParameterField, value: string | boolean) => {
    field.value = value;
    setVersion(v => v + 1);
    props.onChange();
  };
  return (
    <fieldset className="jp-ReanaOpenbis-parameters">
      <legend>{trans.__('Parameters')}</legend>
      {props.fields.map(field => {
        const changed = String(field.value) !== String(field.defaultValue);
        const invalid = props.invalid?.includes(field.name);
        return (
          <label
            key={field.name}
            className={field.kind === 'boolean' ? 'jp-ReanaOpenbis-checkbox' : ''}
          >
            {field.kind === 'boolean' ? (
              <>
                <input
                  type="checkbox"
                  name={`parameter-${field.name}`}
                  checked={Boolean(field.value)}
                  onChange={e => set(field, e.target.checked)}
                />
                {shownName(field.name)}
              </>
            ) : (
              <>
                <span>
                  {shownName(field.name)}
                  {changed && (
                    <span className="jp-ReanaOpenbis-muted">
                      {' '}
                      {trans.__('(default: %1)', String(field.defaultValue))}
                    </span>
                  )}
                </span>
                <input
                  className="jp-mod-styled"
                  name={`parameter-${field.name}`}
                  aria-label={shownName(field.name)}
                  type={field.kind === 'number' ? 'number' : 'text'}
                  step="any"
                  maxLength={10000}
                  value={String(field.value)}
                  onChange={e => set(field, e.target.value)}
                />
              </>
            )}
            {invalid && (
              <span className="jp-ReanaOpenbis-fieldError" role="alert">
                {trans.__('Enter a number.')}
              </span>
            )}
          </label>
        );
      })}
    </fieldset>
  );
}

/** Operational options as `KEY=value` lines, with the engine's usual ones as a hint. */
export function OperationalOptionsField(props: {
  value: string;
  invalid?: readonly string[];
  onChange: (value: string) => void;
}): JSX.Element {
  const trans = useTranslation();
  return (
    <label>
      {trans.__('Operational options (one KEY=value per line)')}
      <textarea
        className="jp-mod-styled jp-ReanaOpenbis-options"
        name="operationalOptions"
        rows={2}
        maxLength={10000}
        placeholder={trans.__('e.g. CACHE=off, TARGET=step name, FROM=step name')}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      />
      {props.invalid && props.invalid.length > 0 && (
        <span className="jp-ReanaOpenbis-fieldError" role="alert">
          {trans.__('Not KEY=value: %1', props.invalid.join(', '))}
        </span>
      )}
    </label>
  );
}
