import { TranslationBundle } from '@jupyterlab/translation';

import { ApiError, messageOf } from '../request';
import { IPropertyField } from './fields';

/**
 * The upload form's errors, keyed by the request's field names (`connection`, `target.id`,
 * `datasetType`, `properties.CODE`, `parents[0]`, ...), and the one message not tied to a
 * field. A server refusal lands where the dialog shows it; the values are not touched.
 */
export class FormErrors {
  /** The error of a request field. */
  get(field: string): string | undefined {
    return this.#errors.get(field);
  }

  /** Every field error, for a summary. */
  get all(): ReadonlyMap<string, string> {
    return this.#errors;
  }

  /** A problem not tied to one field (e.g. openBIS unreachable). */
  get message(): string {
    return this.#message;
  }

  set message(text: string) {
    this.#message = text;
  }

  /** Forget the errors of these fields and of every field under these prefixes (`parents`). */
  clear(...fields: string[]): void {
    const covered = (key: string) =>
      fields.some(f => key === f || key.startsWith(`${f}.`) || key.startsWith(`${f}[`));
    for (const key of [...this.#errors.keys()]) {
      if (covered(key)) {
        this.#errors.delete(key);
      }
    }
  }

  /** The form's own check: these errors replace all others, and the message. */
  replace(errors: Map<string, string>): void {
    this.#errors = errors;
    this.#message = '';
  }

  /**
   * A failed call: the server's field errors on their fields, its message only when no
   * field that `isShown` carries it; any other failure as the message.
   * @returns whether the server said the session is gone (log in again).
   */
  absorb(reason: unknown, isShown: (field: string) => boolean): boolean {
    if (!(reason instanceof ApiError)) {
      this.#message = messageOf(reason);
      return false;
    }
    const fieldErrors = [...reason.errors];
    if (fieldErrors.length === 0 && reason.field) {
      fieldErrors.push({ field: reason.field, message: reason.message });
    }
    for (const { field, message } of fieldErrors) {
      this.#errors.set(normalizeField(field), message);
    }
    const shown = fieldErrors.some(e => isShown(normalizeField(e.field)));
    this.#message = shown ? '' : reason.message;
    return reason.code === 'login_required';
  }

  /** After a failed log-in, the server's message belongs next to the secret field. */
  moveTo(field: string): void {
    if (this.#message) {
      this.#errors.set(field, this.#message);
      this.#message = '';
    }
    for (const key of ['password', 'token', 'username']) {
      const message = this.#errors.get(key);
      if (message) {
        this.#errors.delete(key);
        this.#errors.set(field, message);
      }
    }
  }

  #errors = new Map<string, string>();
  #message = '';
}

/** Why a typed value does not fit its property, in words (`convertValue`'s problem). */
export function valueProblem(
  field: IPropertyField,
  problem: string,
  trans: TranslationBundle
): string {
  switch (problem) {
    case 'integer':
      return trans.__('%1 must be a whole number.', field.label);
    case 'real':
      return trans.__('%1 must be a number.', field.label);
    case 'boolean':
      return trans.__('%1 must be yes or no.', field.label);
    case 'date':
      return trans.__('%1 must be a date (YYYY-MM-DD).', field.label);
    case 'timestamp':
      return trans.__('%1 must be a date and time.', field.label);
    default:
      return trans.__('%1 must be one of the listed terms.', field.label);
  }
}

/** `properties.device` and `properties.DEVICE` are the same field. */
function normalizeField(field: string): string {
  return field.startsWith('properties.') ? `properties.${field.slice(11).toUpperCase()}` : field;
}
