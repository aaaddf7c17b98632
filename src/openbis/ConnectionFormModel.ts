import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError } from '../request';
import { IOpenbisConnection } from '../tokens';
import { OpenbisClient } from './client';
import { problemOf } from './errors';
import { IOpenbisConnectionInput, IOpenbisLogin } from './types';

/** The inputs of the connection dialog. */
export interface IConnectionFormValues {
  name: string;
  url: string;
  auth: 'password' | 'token';
  username: string;
  password: string;
  token: string;
  /** Keep the secret in server memory, so an expired session renews itself. */
  remember: boolean;
  verifyCertificates: boolean;
}

/** The fields an error can point at. */
export type ConnectionField = keyof IConnectionFormValues;

/** The same rule as the server (`OpenbisConnection.name` pattern). */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const URL_PATTERN = /^https?:\/\/[^\s/]+/i;

/**
 * The state of the "Add/Edit openBIS connection" dialog: values, errors next to their
 * fields, and the submit that saves the metadata and then logs in.
 *
 * The dialog stays open on failure and keeps every input, so a wrong password costs one
 * retype. A connection created by a submit whose log-in failed is updated, not created
 * again, on the next submit. Secrets are sent once to the log-in route and never read back.
 */
export class ConnectionFormModel {
  constructor(options: ConnectionFormModel.IOptions) {
    this.#client = options.client;
    this.#trans = options.trans;
    const existing = options.connection;
    this.#mode = existing ? (options.loginOnly ? 'login' : 'edit') : 'add';
    this.#savedName = existing?.name ?? null;
    this.#saved = existing ? valuesOf(existing) : null;
    this.#values = existing
      ? valuesOf(existing)
      : {
          name: '',
          url: 'https://',
          auth: 'password',
          username: '',
          password: '',
          token: '',
          remember: true,
          verifyCertificates: true
        };
  }

  /**
   * `add` for a new connection, `edit` for a user connection's metadata and log-in,
   * `login` for only the secret of an existing connection (a preset too).
   */
  get mode(): 'add' | 'edit' | 'login' {
    return this.#mode;
  }

  get values(): Readonly<IConnectionFormValues> {
    return this.#values;
  }

  /** Errors by field; `form` holds what belongs to no field (server down, timeout). */
  get errors(): Readonly<Partial<Record<ConnectionField | 'form', string>>> {
    return this.#errors;
  }

  get submitting(): boolean {
    return this.#submitting;
  }

  /** Emitted whenever values, errors or the submitting state change. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /** Change one input; its error goes away, as the user is fixing it. */
  set<K extends ConnectionField>(field: K, value: IConnectionFormValues[K]): void {
    this.#values = { ...this.#values, [field]: value };
    if (this.#errors[field] || this.#errors.form) {
      const errors = { ...this.#errors };
      delete errors[field];
      delete errors.form;
      this.#errors = errors;
    }
    this.#changed.emit();
  }

  /**
   * The errors the form can find without the server; also shown. Empty when valid.
   * On edit, the secret may stay empty: the connection is then saved without logging in.
   */
  validate(): Partial<Record<ConnectionField, string>> {
    const trans = this.#trans;
    const v = this.#values;
    const errors: Partial<Record<ConnectionField, string>> = {};
    if (!NAME_PATTERN.test(v.name)) {
      errors.name = trans.__(
        "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
      );
    }
    if (!URL_PATTERN.test(v.url.trim())) {
      errors.url = trans.__('An http:// or https:// address, e.g. https://openbis.example.org');
    }
    if (v.auth === 'password' && !v.username.trim()) {
      errors.username = trans.__('Enter your openBIS user name');
    }
    const secretNeeded = this.#mode !== 'edit';
    if (v.auth === 'password' && secretNeeded && !v.password) {
      errors.password = trans.__('Enter your password');
    }
    if (v.auth === 'token' && secretNeeded && !v.token) {
      errors.token = trans.__('Enter a personal access token');
    }
    this.#errors = errors;
    this.#changed.emit();
    return errors;
  }

  /**
   * Save the connection and log in. Resolves with the connection when both worked; on
   * failure resolves `null` with the errors set next to their fields.
   */
  async submit(): Promise<IOpenbisConnection | null> {
    if (this.#submitting) {
      return null;
    }
    if (Object.keys(this.validate()).length > 0) {
      return null;
    }
    this.#submitting = true;
    this.#changed.emit();
    try {
      const login = this.#login();
      if (this.#mode === 'login' && login && this.#savedName !== null) {
        return await this.#client.login(this.#savedName, login);
      }
      const saved = await this.#save();
      return login ? await this.#client.login(saved.name, login) : saved;
    } catch (error) {
      this.#errors = this.#errorsOf(error);
      return null;
    } finally {
      this.#submitting = false;
      this.#changed.emit();
    }
  }

  /**
   * Cancelling the "Add" dialog leaves nothing behind: a connection that one of its
   * submits created (and whose log-in failed) is deleted again. Editing and logging in
   * keep the connection, which existed before the dialog. Failures to delete are
   * ignored: the connection then stays in the list, where the user can delete it.
   */
  async discard(): Promise<void> {
    if (this.#mode !== 'add' || this.#savedName === null) {
      return;
    }
    const name = this.#savedName;
    this.#savedName = null;
    this.#saved = null;
    await this.#client.deleteConnection(name).catch(() => undefined);
  }

  /** Create the connection, or change the fields that differ from what the server has. */
  async #save(): Promise<IOpenbisConnection> {
    const input = metadataOf(this.#values);
    if (this.#savedName === null || this.#saved === null) {
      const created = await this.#client.addConnection(input);
      this.#savedName = created.name;
      this.#saved = { ...this.#values };
      return created;
    }
    const saved = metadataOf(this.#saved);
    const changes: IOpenbisConnectionInput = {};
    for (const key of Object.keys(input) as (keyof IOpenbisConnectionInput)[]) {
      if (input[key] !== saved[key]) {
        Object.assign(changes, { [key]: input[key] });
      }
    }
    const updated =
      Object.keys(changes).length > 0
        ? await this.#client.updateConnection(this.#savedName, changes)
        : await this.#client.connection(this.#savedName);
    this.#savedName = updated.name;
    this.#saved = { ...this.#values };
    return updated;
  }

  #login(): IOpenbisLogin | null {
    const v = this.#values;
    if (v.auth === 'password' && v.password) {
      return { username: v.username.trim(), password: v.password, remember: v.remember };
    }
    if (v.auth === 'token' && v.token) {
      return { token: v.token, remember: v.remember };
    }
    return null;
  }

  #errorsOf(error: unknown): Partial<Record<ConnectionField | 'form', string>> {
    const trans = this.#trans;
    if (error instanceof ApiError) {
      const all =
        error.errors.length > 0
          ? error.errors
          : error.field
            ? [{ field: error.field, message: error.message }]
            : [];
      if (all.length > 0) {
        const errors: Partial<Record<ConnectionField | 'form', string>> = {};
        for (const { field, message } of all) {
          errors[isField(field) ? field : 'form'] = message;
        }
        return errors;
      }
      if (error.status === 403 && error.code === 'credentials_rejected') {
        return this.#values.auth === 'token'
          ? { token: trans.__('openBIS did not accept this token.') }
          : { password: trans.__('openBIS did not accept this user name and password.') };
      }
      if (error.status === 409 && this.#mode === 'add' && this.#savedName === null) {
        return { name: error.message };
      }
    }
    return { form: problemOf(error).message };
  }

  readonly #client: OpenbisClient;
  readonly #trans: TranslationBundle;
  readonly #mode: 'add' | 'edit' | 'login';
  /** The connection's name on the server, once it exists. */
  #savedName: string | null;
  /** The values the server has, to send only the changes. */
  #saved: IConnectionFormValues | null;
  #values: IConnectionFormValues;
  #errors: Partial<Record<ConnectionField | 'form', string>> = {};
  #submitting = false;
  readonly #changed = new Signal<this, void>(this);
}

export namespace ConnectionFormModel {
  export interface IOptions {
    client: OpenbisClient;
    trans: TranslationBundle;
    /** The connection to edit; a new one when absent. */
    connection?: IOpenbisConnection;
    /** Only log in to `connection`, changing nothing else. */
    loginOnly?: boolean;
  }
}

const FIELDS: readonly ConnectionField[] = [
  'name',
  'url',
  'auth',
  'username',
  'password',
  'token',
  'remember',
  'verifyCertificates'
];

function isField(field: string): field is ConnectionField {
  return (FIELDS as readonly string[]).includes(field);
}

function valuesOf(connection: IOpenbisConnection): IConnectionFormValues {
  return {
    name: connection.name,
    url: connection.url,
    auth: connection.auth,
    username: connection.username ?? '',
    password: '',
    token: '',
    remember: true,
    verifyCertificates: connection.verifyCertificates
  };
}

function metadataOf(values: IConnectionFormValues): IOpenbisConnectionInput {
  return {
    name: values.name.trim(),
    url: values.url.trim(),
    auth: values.auth,
    username: values.auth === 'password' ? values.username.trim() : values.username.trim() || null,
    verifyCertificates: values.verifyCertificates
  };
}
