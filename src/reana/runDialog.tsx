import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useState } from 'react';

import { TranslationContext, useTranslation } from '../components/translation';
import { IJob, IReanaConnection } from '../tokens';
import { IRunRequest, ISpecLimits, ISpecValidation, ReanaApi } from './api';
import { OperationalOptionsField, ParameterFields } from './components/ParameterFields';
import { ReanaClientMissing } from './components/ReanaClientMissing';
import { RecommendedImages } from './components/ServerInfoView';
import { IParameterField, IStartErrors, parameterFields, readStartOptions } from './parameters';
import { formatBytes } from '../components/format';
import { shownName, shownText } from '../components/names';
import { describeProblem } from './status';
import { takesBundles } from './protocol';
import { ValidationModel } from './ValidationModel';
import { IRunInput } from '../provenance/api';
import { RunInputsField } from '../provenance/RunInputsField';
import { requestAPI } from '../request';
import { WORKFLOW_NAME_PATTERN, workflowNameProblem } from './workflowName';

/** What the run form holds; kept across a refused attempt. */
interface IRunForm {
  connection: string;
  name: string;
  fields: IParameterField[];
  options: string;
  /** openBIS datasets streamed into the workspace before the start. */
  inputs: IRunInput[];
}

interface IRunErrors extends IStartErrors {
  name?: string;
  /** The name the server refused with `name`. */
  nameSent?: string;
  message?: string;
  /** Errors of `openbisInputs[i].…`, by request field. */
  inputs?: { [field: string]: string };
}

/** What the inputs part needs besides the form: connections and downloaded datasets. */
interface IInputsContext {
  connections: readonly string[];
  downloaded: readonly string[];
  serverSettings: ServerConnection.ISettings;
}

/** The run form's body: the verdict first, then connection, name, parameters, options, inputs. */
class RunFormBody extends ReactWidget {
  constructor(
    private readonly _trans: TranslationBundle,
    readonly form: IRunForm,
    private readonly _validation: ISpecValidation,
    private readonly _connections: readonly IReanaConnection[],
    private readonly _errors: IRunErrors,
    private readonly _inputs: IInputsContext,
    private readonly _limits: (connection: string) => Promise<ISpecLimits>
  ) {
    super();
    this.addClass('jp-ReanaOpenbis-form');
    this.addClass('jp-ReanaOpenbis-runForm');
  }

  getValue(): IRunForm {
    return this.form;
  }

  render(): JSX.Element {
    return (
      <TranslationContext.Provider value={this._trans}>
        <RunFields
          form={this.form}
          validation={this._validation}
          connections={this._connections}
          errors={this._errors}
          inputsContext={this._inputs}
          limits={this._limits}
        />
      </TranslationContext.Provider>
    );
  }
}

function RunFields(props: {
  form: IRunForm;
  validation: ISpecValidation;
  connections: readonly IReanaConnection[];
  errors: IRunErrors;
  inputsContext: IInputsContext;
  limits: (connection: string) => Promise<ISpecLimits>;
}): JSX.Element {
  const t = useTranslation();
  const { form, validation, errors } = props;
  const [, bump] = useState(0);
  const set = (change: Partial<IRunForm>) => {
    Object.assign(form, change);
    bump(n => n + 1);
  };
  const inputs = validation.inputs;
  // Checked as the user types; the server's word (a name taken, …) until the name changes.
  const nameError =
    workflowNameProblem(form.name, t) ?? (form.name === errors.nameSent ? errors.name : undefined);
  return (
    <div className="jp-ReanaOpenbis-formFields">
      <Verdict validation={validation} />
      {inputs && (
        <div className="jp-ReanaOpenbis-inputs">
          <strong>{t.__('Uploaded with the specification')}</strong>
          <p>
            {t._n(
              '%1 file, %2: %3',
              '%1 files, %2: %3',
              inputs.fileCount,
              formatBytes(inputs.bytes),
              listed(inputs.files, inputs.directories)
            )}
          </p>
          {inputs.missing.length > 0 && (
            <p className="jp-ReanaOpenbis-warning">
              {t.__('Not found next to the specification: %1', inputs.missing.join(', '))}
            </p>
          )}
          {(inputs.ignoredCount ?? 0) > 0 && (
            <p className="jp-ReanaOpenbis-muted" title={(inputs.ignored ?? []).join('\n')}>
              {t._n(
                'Left out by .gitignore or .reanaignore: %2',
                'Left out by .gitignore or .reanaignore (%1): %2',
                inputs.ignoredCount ?? 0,
                shortList(inputs.ignored ?? [], inputs.ignoredCount ?? 0)
              )}
            </p>
          )}
        </div>
      )}
      {(form.inputs.length > 0 || props.inputsContext.connections.length > 0) && (
        <RunInputsField
          inputs={form.inputs}
          connections={props.inputsContext.connections}
          downloaded={props.inputsContext.downloaded}
          errors={errors.inputs ?? {}}
          onChange={() => set({})}
          serverSettings={props.inputsContext.serverSettings}
        />
      )}
      {errors.message && (
        <p className="jp-ReanaOpenbis-error" role="alert">
          {errors.message}
        </p>
      )}
      <label>
        {t.__('REANA connection')}
        <select
          className="jp-mod-styled"
          name="connection"
          value={form.connection}
          onChange={e => set({ connection: e.target.value })}
        >
          {props.connections.map(c => (
            <option key={c.name} value={c.name} disabled={!c.hasToken}>
              {c.hasToken ? c.name : t.__('%1 (no access token)', c.name)}
            </option>
          ))}
        </select>
      </label>
      {form.connection && <ServerCheck connection={form.connection} limits={props.limits} />}
      <label>
        {t.__('Workflow name')}
        <input
          className="jp-mod-styled"
          name="workflowName"
          value={form.name}
          maxLength={100}
          pattern={WORKFLOW_NAME_PATTERN}
          aria-invalid={nameError ? true : undefined}
          onChange={e => set({ name: e.target.value })}
        />
        {nameError && (
          <span className="jp-ReanaOpenbis-fieldError" role="alert">
            {nameError}
          </span>
        )}
      </label>
      <ParameterFields
        fields={form.fields}
        invalid={errors.parameters}
        onChange={() => undefined}
      />
      <OperationalOptionsField
        value={form.options}
        invalid={errors.options}
        onChange={options => set({ options })}
      />
    </div>
  );
}

/** The first few names, then how many more. */
function shortList(names: readonly string[], count: number): string {
  const shown = names.slice(0, 5).join(', ');
  return count > 5 ? `${shown}, …` : shown;
}

/**
 * What the chosen server would refuse in this spec (beyond its limits: memory, job time,
 * retention, engine, images), and the images it recommends; read when the connection
 * changes. The run job refuses the same problems before creating anything.
 */
function ServerCheck(props: {
  connection: string;
  limits: (connection: string) => Promise<ISpecLimits>;
}): JSX.Element | null {
  const t = useTranslation();
  const [state, setState] = useState<{ connection: string; limits: ISpecLimits | null }>({
    connection: '',
    limits: null
  });
  useEffect(() => {
    let current = true;
    props.limits(props.connection).then(
      limits => current && setState({ connection: props.connection, limits }),
      () => current && setState({ connection: props.connection, limits: null })
    );
    return () => {
      current = false;
    };
  }, [props.connection, props.limits]);
  const limits = state.connection === props.connection ? state.limits : null;
  if (!limits) {
    return null;
  }
  const retention = limits.server.retentionDays;
  return (
    <div className="jp-ReanaOpenbis-serverCheck">
      {limits.problems.length > 0 && (
        <div className="jp-ReanaOpenbis-error" role="alert">
          {t.__('%1 would refuse this workflow:', props.connection)}
          <ul className="jp-ReanaOpenbis-messages">
            {limits.problems.map((problem, i) => (
              <li key={i} className="jp-mod-error">
                {problem}
              </li>
            ))}
          </ul>
        </div>
      )}
      {retention !== null && (
        <p className="jp-ReanaOpenbis-muted">
          {t.__('%1 keeps workspace files %2 days after a run ends.', props.connection, retention)}
        </p>
      )}
      <RecommendedImages info={limits.server} />
    </div>
  );
}

/** The declared inputs, folders marked with a slash, the first few only. */
function listed(files: readonly string[], directories: readonly string[]): string {
  const names = [...files, ...directories.map(d => `${d}/`)].map(name => shownName(name));
  return names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
}

function Verdict(props: { validation: ISpecValidation }): JSX.Element {
  const t = useTranslation();
  const { validation } = props;
  const messages = [
    ...validation.errors.map(m => ({ ...m, kind: 'error' })),
    ...validation.warnings.map(m => ({ ...m, kind: 'warning' }))
  ];
  return (
    <div className="jp-ReanaOpenbis-runVerdict">
      <p className={`jp-ReanaOpenbis-verdict jp-mod-${validation.verdict}`} role="status">
        {validation.verdict === 'valid'
          ? t.__('The specification is valid.')
          : validation.verdict === 'valid-with-warnings'
            ? t._n(
                'The specification is valid, with %1 warning.',
                'The specification is valid, with %1 warnings.',
                validation.warnings.length
              )
            : t.__('The specification is not valid: fix it before running.')}
        {validation.validatedBy === 'server' && (
          <span className="jp-ReanaOpenbis-muted"> {t.__('(checked by the REANA server)')}</span>
        )}
      </p>
      {messages.length > 0 && (
        <ul className="jp-ReanaOpenbis-messages">
          {messages.slice(0, 10).map((m, i) => (
            <li key={i} className={`jp-mod-${m.kind}`}>
              {m.line ? `${m.line}:${m.column ?? 1} ` : ''}
              {shownText(m.message)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * "Run on REANA…": validate first, then ask for connection, name, parameters and options
 * and start the run job; a refusal brings the form back with the input kept.
 *
 * @returns the run job and its connection, or null (cancelled, invalid, no reana-client).
 */
export async function runDialog(options: {
  api: ReanaApi;
  trans: TranslationBundle;
  path: string;
  installCommand: () => string;
  preferredConnection?: string | null;
  /** openBIS datasets to start with in the "openBIS inputs" part. */
  inputs?: readonly IRunInput[];
}): Promise<{ job: IJob; connection: string } | null> {
  const { api, trans, path } = options;
  let connections: readonly IReanaConnection[] = [];
  try {
    connections = (await api.listConnections()).connections;
  } catch {
    connections = [];
  }
  const usable = connections.filter(c => c.hasToken);
  const chosen = usable.find(c => c.name === options.preferredConnection) ?? usable[0];
  // The connection that will run it judges the spec where its server takes bundles (0.95).
  const validationModel = new ValidationModel(api, path, options.installCommand, async () =>
    takesBundles(chosen) ? chosen.name : null
  );
  const state = await validationModel.validate();
  if (state.status === 'reana_client_missing') {
    await showDialog({
      title: trans.__('Run on REANA'),
      body: ReactWidget.create(
        <TranslationContext.Provider value={trans}>
          <ReanaClientMissing command={state.command} />
        </TranslationContext.Provider>
      ),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return null;
  }
  if (state.status === 'failed') {
    await showDialog({
      title: trans.__('Run on REANA'),
      body: trans.__('Could not validate %1: %2', path, state.message),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return null;
  }
  if (state.status !== 'done') {
    return null;
  }
  const validation = state.result;
  // One check per connection for the dialog's life (it comes back after a refusal).
  const checked = new Map<string, Promise<ISpecLimits>>();
  const limitsOf = (connection: string) => {
    let limits = checked.get(connection);
    if (!limits) {
      limits = api.specLimits(connection, path);
      checked.set(connection, limits);
    }
    return limits;
  };
  const form: IRunForm = {
    connection: chosen?.name ?? '',
    name: validation.defaultName ?? '',
    fields: parameterFields(validation.parameters),
    options: '',
    inputs: (options.inputs ?? []).map(input => ({ ...input }))
  };
  const inputsContext = await openbisContext(api, path);
  let errors: IRunErrors =
    usable.length === 0
      ? { message: trans.__('Add a REANA connection with an access token first.') }
      : {};
  for (;;) {
    const body = new RunFormBody(
      trans,
      form,
      validation,
      connections,
      errors,
      inputsContext,
      limitsOf
    );
    const runnable = validation.valid && usable.length > 0;
    const result = await showDialog({
      title: trans.__('Run %1 on REANA', path),
      body,
      focusNodeSelector: 'input[name="workflowName"]',
      buttons: runnable
        ? [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Run') })
          ]
        : [Dialog.cancelButton({ label: trans.__('Close') })]
    });
    if (!result.button.accept || !runnable) {
      return null;
    }
    if (workflowNameProblem(form.name, trans)) {
      errors = {};
      continue;
    }
    const read = readStartOptions(form.fields, form.options);
    if (!('start' in read)) {
      errors = read.errors;
      continue;
    }
    const request: IRunRequest = {
      ...read.start,
      connection: form.connection,
      path
    };
    if (form.inputs.length > 0) {
      request.openbisInputs = form.inputs.map(input => ({
        connection: input.connection,
        permId: input.permId,
        folder: input.folder.trim() || null
      }));
    }
    if (form.name.trim()) {
      request.name = form.name.trim();
    }
    try {
      const job = await api.run(request);
      return { job, connection: form.connection };
    } catch (reason) {
      const problem = describeProblem(reason);
      const field = (problem.kind === 'input' && problem.field) || '';
      errors =
        problem.kind === 'input' && field === 'name'
          ? { name: problem.message, nameSent: form.name }
          : field.startsWith('openbisInputs')
            ? { inputs: { [field]: problem.message } }
            : { message: problem.message };
    }
  }
}

/** The openBIS connections (for adding inputs) and the datasets the download manifest of
 * the spec's folder lists; nothing when openBIS is not set up. */
async function openbisContext(api: ReanaApi, path: string): Promise<IInputsContext> {
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const [connections, manifest] = await Promise.all([
    requestAPI<{ connections: { name: string }[] }>(
      'openbis/connections',
      {},
      api.serverSettings
    ).catch(() => ({ connections: [] })),
    requestAPI<{ datasets: { permId: string }[] }>(
      `openbis/manifest?${new URLSearchParams({ path: folder })}`,
      {},
      api.serverSettings
    ).catch(() => ({ datasets: [] }))
  ]);
  return {
    connections: connections.connections.map(c => c.name),
    downloaded: manifest.datasets.map(d => d.permId),
    serverSettings: api.serverSettings
  };
}
