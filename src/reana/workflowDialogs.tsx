import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import React, { useState } from 'react';

import { TranslationContext } from '../components/translation';
import { IStartOptions } from './api';
import { OperationalOptionsField, ParameterFields } from './components/ParameterFields';
import { IParameterField, IStartErrors, parameterFields, readStartOptions } from './parameters';

/** The start/restart form: parameters and operational options. */
class StartFormBody extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    readonly fields: IParameterField[],
    public options: string,
    private readonly _errors: IStartErrors
  ) {
    super();
    this.addClass('jp-ReanaOpenbis-form');
  }

  getValue(): StartFormBody {
    return this;
  }

  render(): JSX.Element {
    return (
      <TranslationContext.Provider value={this._trans}>
        <StartFields body={this} errors={this._errors} />
      </TranslationContext.Provider>
    );
  }
}

function StartFields(props: { body: StartFormBody; errors: IStartErrors }): JSX.Element {
  const [options, setOptions] = useState(props.body.options);
  return (
    <div className="jp-ReanaOpenbis-formFields">
      <ParameterFields
        fields={props.body.fields}
        invalid={props.errors.parameters}
        onChange={() => undefined}
      />
      <OperationalOptionsField
        value={options}
        invalid={props.errors.options}
        onChange={value => {
          props.body.options = value;
          setOptions(value);
        }}
      />
    </div>
  );
}

/**
 * Ask for parameter overrides and operational options before starting or restarting a
 * run. @returns the start options, or null when cancelled.
 */
export async function startDialog(
  trans: TranslationBundle,
  name: string,
  parameters: ReadonlyJSONObject | null | undefined,
  restart: boolean
): Promise<IStartOptions | null> {
  const fields = parameterFields(parameters);
  let options = '';
  let errors: IStartErrors = {};
  for (;;) {
    const body = new StartFormBody(trans, fields, options, errors);
    const result = await showDialog({
      title: restart ? trans.__('Restart %1', name) : trans.__('Start %1', name),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: restart ? trans.__('Restart') : trans.__('Start') })
      ]
    });
    if (!result.button.accept) {
      return null;
    }
    options = body.options;
    const read = readStartOptions(fields, options);
    if ('start' in read) {
      return read.start;
    }
    errors = read.errors;
  }
}

/** Confirm a stop. */
export async function confirmStop(trans: TranslationBundle, name: string): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Stop %1?', name),
    body: trans.__('Running jobs are stopped; the workspace stays.'),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Stop') })
    ]
  });
  return result.button.accept;
}

/** The delete confirmation: what goes, and a checkbox for the workspace. */
class DeleteBody extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    const text = document.createElement('p');
    text.textContent = trans.__('The run is deleted on the REANA server.');
    const label = document.createElement('label');
    label.className = 'jp-ReanaOpenbis-checkbox';
    this.#checkbox.type = 'checkbox';
    this.#checkbox.name = 'workspace';
    this.#checkbox.checked = true;
    label.append(this.#checkbox, trans.__('Also delete its workspace (all its files)'));
    this.node.append(text, label);
  }

  get workspace(): boolean {
    return this.#checkbox.checked;
  }

  readonly #checkbox = document.createElement('input');
}

/**
 * Confirm a delete and ask whether the workspace goes too.
 *
 * @returns `{workspace}` or null when cancelled.
 */
export async function confirmDelete(
  trans: TranslationBundle,
  name: string
): Promise<{ workspace: boolean } | null> {
  const body = new DeleteBody(trans);
  const result = await showDialog({
    title: trans.__('Delete %1?', name),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete') })
    ]
  });
  return result.button.accept ? { workspace: body.workspace } : null;
}
