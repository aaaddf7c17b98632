/**
 * Form fields from openBIS property assignments, and the conversion of what a user
 * typed into the value `POST /openbis/uploads` expects for each data type.
 *
 * The rules follow openBIS' data types as the server checks them
 * (`reana_openbis_lab/openbis/upload_validation.py`), so most mistakes are caught
 * before the request; the server remains the judge and its field errors win.
 */

/** A property assignment of a dataset type (`OpenbisEntityTypes` in openapi.yaml). */
export interface IPropertyAssignment {
  readonly code: string;
  readonly label: string;
  readonly description?: string | null;
  readonly dataType?: string | null;
  readonly mandatory: boolean;
  readonly vocabulary?: string | null;
  readonly terms?: readonly { readonly code: string; readonly label: string }[] | null;
}

/** A dataset type with its property assignments. */
export interface IDatasetType {
  readonly code: string;
  readonly description?: string | null;
  readonly properties: readonly IPropertyAssignment[];
}

/** The input a property gets in the form. */
export type InputKind =
  'integer' | 'real' | 'boolean' | 'date' | 'timestamp' | 'multiline' | 'vocabulary' | 'text';

/** One input of the generated form. */
export interface IPropertyField {
  readonly code: string;
  readonly label: string;
  /** The property's description, shown as help under the input. */
  readonly help: string;
  readonly mandatory: boolean;
  readonly input: InputKind;
  /** The terms of a controlled vocabulary: value = term code, label = term label. */
  readonly options: readonly { readonly value: string; readonly label: string }[];
}

/** The request field a property's errors come back under, e.g. `properties.DEVICE`. */
export function propertyFieldName(code: string): string {
  return `properties.${code}`;
}

const INPUT_OF_DATA_TYPE: Record<string, InputKind> = {
  INTEGER: 'integer',
  REAL: 'real',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  MULTILINE_VARCHAR: 'multiline',
  CONTROLLEDVOCABULARY: 'vocabulary'
};

/** The form's inputs for a dataset type, in the type's order. */
export function fieldsOf(type: IDatasetType): IPropertyField[] {
  return type.properties.map(assignment => {
    const input = INPUT_OF_DATA_TYPE[(assignment.dataType ?? '').toUpperCase()] ?? 'text';
    return {
      code: assignment.code,
      label: assignment.label || assignment.code,
      help: assignment.description ?? '',
      mandatory: assignment.mandatory,
      input,
      options:
        input === 'vocabulary'
          ? (assignment.terms ?? []).map(term => ({
              value: term.code,
              label: term.label || term.code
            }))
          : []
    };
  });
}

/** A value the user typed, for the value a field starts with. */
export type RawValue = string;

/**
 * The value a field starts with: a mandatory yes/no starts at "no" (openBIS has no
 * "unset" for it), `$NAME` at the name of what is uploaded, everything else empty.
 */
export function defaultValue(field: IPropertyField, uploadName: string): RawValue {
  if (field.input === 'boolean' && field.mandatory) {
    return 'false';
  }
  if (field.code === '$NAME') {
    return uploadName;
  }
  return '';
}

/** A typed value for the request, or why the text cannot be one. */
export type Converted =
  | { readonly ok: true; readonly value: string | number | boolean | null }
  | {
      readonly ok: false;
      readonly problem: 'integer' | 'real' | 'boolean' | 'date' | 'timestamp' | 'term';
    };

const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The request value of one input: numbers as numbers, yes/no as booleans, dates as
 * `YYYY-MM-DD`, a browser's local date-time as `YYYY-MM-DD HH:MM:SS +ZZZZ` (the layout
 * openBIS reads, with the browser's UTC offset at that moment), vocabulary terms by code.
 * Empty text is `null`: the property is left unset.
 */
export function convertValue(field: IPropertyField, raw: RawValue): Converted {
  const text = raw.trim();
  if (text === '') {
    return { ok: true, value: null };
  }
  switch (field.input) {
    case 'integer':
      return INTEGER.test(text)
        ? { ok: true, value: Number.parseInt(text, 10) }
        : { ok: false, problem: 'integer' };
    case 'real': {
      const number = Number(text.replace(',', '.'));
      return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, problem: 'real' };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') {
        return { ok: true, value: text === 'true' };
      }
      return { ok: false, problem: 'boolean' };
    case 'date':
      return isRealDate(text) ? { ok: true, value: text } : { ok: false, problem: 'date' };
    case 'timestamp':
      return timestamp(text);
    case 'vocabulary':
      return field.options.some(option => option.value === text)
        ? { ok: true, value: text }
        : { ok: false, problem: 'term' };
    default:
      return { ok: true, value: raw };
  }
}

function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function timestamp(text: string): Converted {
  const match = LOCAL_DATETIME.exec(text);
  if (!match || !isRealDate(`${match[1]}-${match[2]}-${match[3]}`)) {
    return { ok: false, problem: 'timestamp' };
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(part => Number(part ?? 0));
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, problem: 'timestamp' };
  }
  const local = new Date(year, month - 1, day, hour, minute, second);
  const offset = -local.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return {
    ok: true,
    value: `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${pad(second)} ${zone}`
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
