import { ReadonlyJSONObject } from '@lumino/coreutils';

import { IStartOptions } from './api';

/** A parameter value REANA accepts in `input_parameters`. */
export type ParameterValue = string | number | boolean;

/** How a parameter is edited: from the type of its default in `inputs.parameters`. */
export type ParameterKind = 'number' | 'boolean' | 'string';

/** One parameter as the run and start dialogs edit it. */
export interface IParameterField {
  readonly name: string;
  readonly kind: ParameterKind;
  /** The spec's default. */
  readonly defaultValue: ParameterValue;
  /** What the user typed (text inputs) or ticked. */
  value: string | boolean;
}

/** The parameter kind of a default value; lists and mappings are edited as JSON text. */
export function parameterKind(value: unknown): ParameterKind {
  if (typeof value === 'number') {
    return 'number';
  }
  if (typeof value === 'boolean') {
    return 'boolean';
  }
  return 'string';
}

/** The fields for a spec's `inputs.parameters`, pre-filled with the defaults. */
export function parameterFields(
  parameters: ReadonlyJSONObject | null | undefined
): IParameterField[] {
  return Object.entries(parameters ?? {}).map(([name, raw]) => {
    const kind = parameterKind(raw);
    const defaultValue: ParameterValue =
      typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'string'
        ? raw
        : JSON.stringify(raw);
    return {
      name,
      kind,
      defaultValue,
      value: kind === 'boolean' ? Boolean(raw) : String(defaultValue)
    };
  });
}

/**
 * Read one field back into a typed value.
 *
 * @returns the value, or an `error` the dialog shows next to the field.
 */
export function readParameter(
  field: IParameterField
): { value: ParameterValue } | { error: string } {
  switch (field.kind) {
    case 'boolean':
      return { value: Boolean(field.value) };
    case 'number': {
      const text = String(field.value).trim();
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) {
        return { error: 'a number' };
      }
      return { value };
    }
    default:
      return { value: String(field.value) };
  }
}

/**
 * The overrides to send: only parameters whose value differs from the spec's default
 * (so REANA keeps using the spec for the others).
 *
 * @returns the overrides, or the names of fields that do not read as their kind.
 */
export function parameterOverrides(
  fields: readonly IParameterField[]
): { overrides: { [name: string]: ParameterValue } } | { invalid: string[] } {
  const overrides: { [name: string]: ParameterValue } = {};
  const invalid: string[] = [];
  for (const field of fields) {
    const read = readParameter(field);
    if ('error' in read) {
      invalid.push(field.name);
    } else if (read.value !== field.defaultValue) {
      overrides[field.name] = read.value;
    }
  }
  return invalid.length ? { invalid } : { overrides };
}

/**
 * Operational options from `KEY=value` lines (reana-client's `-o KEY=value`), e.g.
 * `TARGET=gendata` or `CACHE=off`; blank lines are skipped.
 *
 * @returns the options, or the lines that are not `KEY=value`.
 */
export function parseOperationalOptions(
  text: string
): { options: { [key: string]: string } } | { invalid: string[] } {
  const options: { [key: string]: string } = {};
  const invalid: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) {
      continue;
    }
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*)$/.exec(trimmed);
    if (match) {
      options[match[1]] = match[2];
    } else {
      invalid.push(trimmed);
    }
  }
  return invalid.length ? { invalid } : { options };
}

/** What the start and run forms say is wrong: the invalid parameters and option lines. */
export interface IStartErrors {
  parameters?: string[];
  options?: string[];
}

/**
 * The start options of a start or run form (only what is set), or what is wrong with them.
 */
export function readStartOptions(
  fields: readonly IParameterField[],
  optionsText: string
): { start: IStartOptions } | { errors: IStartErrors } {
  const read = parameterOverrides(fields);
  const ops = parseOperationalOptions(optionsText);
  if (!('overrides' in read) || !('options' in ops)) {
    return {
      errors: {
        parameters: 'invalid' in read ? read.invalid : undefined,
        options: 'invalid' in ops ? ops.invalid : undefined
      }
    };
  }
  const start: IStartOptions = {};
  if (Object.keys(read.overrides).length) {
    start.parameters = read.overrides;
  }
  if (Object.keys(ops.options).length) {
    start.operationalOptions = ops.options;
  }
  return { start };
}
