import { PathExt, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError, requestAPI } from '../request';
import { IJob, IOpenbisConnection } from '../tokens';
import {
  convertValue,
  defaultValue,
  fieldsOf,
  IDatasetType,
  IPropertyField,
  propertyFieldName,
  RawValue
} from './fields';

/** An upload target found by the search (`OpenbisObject` or `OpenbisCollection`). */
export interface ITarget {
  readonly kind: 'object' | 'collection';
  /** The permId, as the request's `target.id`. */
  readonly id: string;
  readonly identifier: string;
  readonly name?: string | null;
}

/** A parent dataset the user may pick. */
export interface IParentCandidate {
  readonly permId: string;
  readonly type?: string | null;
  /** Where it comes from: a folder of the selection, or a search. */
  readonly source: 'manifest' | 'search';
  /** The files it brought into the folder (manifest) or its name (search). */
  readonly description: string;
}

/** What the dialog opens with. */
export interface IUploadFormOptions {
  serverSettings: ServerConnection.ISettings;
  trans: TranslationBundle;
  /** Files and folders relative to the server root. */
  paths: readonly string[];
  connections: readonly IOpenbisConnection[];
  /** A notebook among or next to the selection, offered for inclusion. */
  notebook: string | null;
  /** Delay (ms) between the last keystroke and a search request. */
  searchDelay?: number;
}

interface IPage<T> {
  readonly items: readonly T[];
  readonly total: number;
}

interface IManifestEntry {
  readonly connection: string;
  readonly permId: string;
  readonly type?: string | null;
  readonly files: readonly string[];
}

/**
 * The state of the "Upload to openBIS" dialog: everything the user chose and typed,
 * the choices loaded from the server, and the errors per request field.
 *
 * It outlives each render, so a server refusal (`errors[]` of a 400) marks the fields at
 * fault while every value stays as typed. Errors are keyed by the request's field names
 * (`connection`, `target.id`, `datasetType`, `properties.CODE`, `parents[0]`, ...).
 */
export class UploadFormModel {
  constructor(options: IUploadFormOptions) {
    this._settings = options.serverSettings;
    this._trans = options.trans;
    this.paths = options.paths;
    this.notebook = options.notebook;
    this.includeNotebook = options.notebook !== null;
    this.connections = options.connections;
    this._searchDelay = options.searchDelay ?? 300;
    const preferred =
      options.connections.find(c => c.status === 'connected') ?? options.connections[0];
    this._connection = preferred?.name ?? '';
  }

  readonly paths: readonly string[];
  readonly notebook: string | null;
  readonly connections: readonly IOpenbisConnection[];
  includeNotebook: boolean;

  /** Emitted after every change of state, for the view to re-render. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get connection(): string {
    return this._connection;
  }

  /** The chosen connection as last listed (after a log-in: as the server answered). */
  get connectionInfo(): IOpenbisConnection | undefined {
    return (
      this._loggedIn.get(this._connection) ??
      this.connections.find(c => c.name === this._connection)
    );
  }

  /**
   * Whether the chosen connection needs a log-in before anything can be listed: the
   * server renews the session by itself while it holds the secret.
   */
  get needsLogin(): boolean {
    const info = this.connectionInfo;
    return info !== undefined && info.status !== 'connected' && !info.hasSecret;
  }

  get types(): readonly IDatasetType[] {
    return this._types;
  }

  get datasetType(): string {
    return this._datasetType;
  }

  /** The inputs of the chosen dataset type. */
  get fields(): readonly IPropertyField[] {
    return this._fields;
  }

  get targetKind(): 'object' | 'collection' {
    return this._targetKind;
  }

  get targetQuery(): string {
    return this._targetQuery;
  }

  get targetResults(): readonly ITarget[] {
    return this._targetResults;
  }

  get target(): ITarget | null {
    return this._target;
  }

  get parentCandidates(): readonly IParentCandidate[] {
    const fromManifest = this._manifest
      .filter(entry => entry.connection === this._connection)
      .map<IParentCandidate>(entry => ({
        permId: entry.permId,
        type: entry.type,
        source: 'manifest',
        description: entry.files.slice(0, 3).join(', ')
      }));
    const known = new Set(fromManifest.map(c => c.permId));
    return [...fromManifest, ...this._parentResults.filter(c => !known.has(c.permId))];
  }

  get parents(): readonly string[] {
    return this._parents;
  }

  get parentQuery(): string {
    return this._parentQuery;
  }

  /** Whether something is being loaded (types, search, log-in, submit). */
  get busy(): boolean {
    return this._busy > 0;
  }

  /** A problem not tied to one field (e.g. openBIS unreachable). */
  get message(): string {
    return this._message;
  }

  value(code: string): RawValue {
    return this._values.get(code) ?? '';
  }

  /** The error of a request field, e.g. `properties.DEVICE` or `target.id`. */
  error(field: string): string | undefined {
    return this._errors.get(field);
  }

  /** Every field error, for a summary. */
  get errors(): ReadonlyMap<string, string> {
    return this._errors;
  }

  /** Read what the dialog needs at once: dataset types and the folders' manifests. */
  async load(): Promise<void> {
    await Promise.all([this._loadManifest(), this.needsLogin ? undefined : this._loadTypes()]);
  }

  async setConnection(name: string): Promise<void> {
    if (name === this._connection) {
      return;
    }
    this._connection = name;
    this._types = [];
    this._target = null;
    this._targetResults = [];
    this._parentResults = [];
    this._parents = this._parents.filter(id => this.parentCandidates.some(c => c.permId === id));
    this._errors.delete('connection');
    this._emit();
    if (!this.needsLogin) {
      await this._loadTypes();
    }
  }

  /**
   * Log the chosen connection in (a preset's stored secret when `secret` is empty).
   * A refusal becomes the `login` field's error.
   */
  async login(secret: string, remember: boolean): Promise<boolean> {
    const info = this.connectionInfo;
    const body: Record<string, unknown> = { remember };
    if (secret !== '') {
      body[info?.auth === 'token' ? 'token' : 'password'] = secret;
    }
    const answer = await this._call(() =>
      requestAPI<IOpenbisConnection>(
        `openbis/connections/${encodeURIComponent(this._connection)}/login`,
        { method: 'POST', body: JSON.stringify(body) },
        this._settings
      )
    );
    if (answer === undefined) {
      this._moveErrorTo('login');
      return false;
    }
    this._loggedIn.set(answer.name, answer);
    this._errors.delete('login');
    this._emit();
    await this._loadTypes();
    return true;
  }

  setTargetKind(kind: 'object' | 'collection'): void {
    if (kind !== this._targetKind) {
      this._targetKind = kind;
      this._target = null;
      this._targetResults = [];
      this._emit();
      this._scheduleSearch('target');
    }
  }

  /** Search-as-you-type: the request goes out once typing pauses; older answers are dropped. */
  setTargetQuery(query: string): void {
    this._targetQuery = query;
    this._emit();
    this._scheduleSearch('target');
  }

  chooseTarget(target: ITarget | null): void {
    this._target = target;
    this._errors.delete('target.id');
    this._errors.delete('target');
    this._emit();
  }

  setDatasetType(code: string): void {
    this._datasetType = code;
    const type = this._types.find(t => t.code === code);
    const previous = this._values;
    this._fields = type ? fieldsOf(type) : [];
    this._values = new Map();
    const uploadName = this.paths.length === 1 ? PathExt.basename(this.paths[0]) : '';
    for (const field of this._fields) {
      this._values.set(field.code, previous.get(field.code) ?? defaultValue(field, uploadName));
    }
    this._errors.delete('datasetType');
    for (const key of [...this._errors.keys()]) {
      if (key.startsWith('properties.')) {
        this._errors.delete(key);
      }
    }
    this._emit();
  }

  setValue(code: string, raw: RawValue): void {
    this._values.set(code, raw);
    this._errors.delete(propertyFieldName(code));
    this._emit();
  }

  setParentQuery(query: string): void {
    this._parentQuery = query;
    this._emit();
    this._scheduleSearch('parent');
  }

  toggleParent(permId: string, on: boolean): void {
    this._parents = on
      ? [...new Set([...this._parents, permId])]
      : this._parents.filter(id => id !== permId);
    for (const key of [...this._errors.keys()]) {
      if (key.startsWith('parents')) {
        this._errors.delete(key);
      }
    }
    this._emit();
  }

  setIncludeNotebook(on: boolean): void {
    this.includeNotebook = on;
    this._emit();
  }

  /** Check what the server would refuse anyway; marks every field at fault. */
  validate(): boolean {
    const trans = this._trans;
    const errors = new Map<string, string>();
    if (!this._connection) {
      errors.set('connection', trans.__('Choose an openBIS connection.'));
    } else if (this.needsLogin) {
      errors.set('login', trans.__('Log in to %1 first.', this._connection));
    }
    if (!this._target) {
      errors.set('target.id', trans.__('Choose the object or collection the dataset belongs to.'));
    }
    if (!this._datasetType) {
      errors.set('datasetType', trans.__('Choose a dataset type.'));
    }
    for (const field of this._fields) {
      const raw = this.value(field.code);
      const converted = convertValue(field, raw);
      if (!converted.ok) {
        errors.set(propertyFieldName(field.code), this._problemText(field, converted.problem));
      } else if (converted.value === null && field.mandatory) {
        errors.set(propertyFieldName(field.code), trans.__('%1 is mandatory.', field.label));
      }
    }
    this._errors = errors;
    this._message = '';
    this._emit();
    return errors.size === 0;
  }

  /** The body of `POST /openbis/uploads`; call after `validate()`. */
  toRequest(): Record<string, unknown> {
    const properties: Record<string, string | number | boolean> = {};
    for (const field of this._fields) {
      const converted = convertValue(field, this.value(field.code));
      if (converted.ok && converted.value !== null) {
        properties[field.code] = converted.value;
      }
    }
    const body: Record<string, unknown> = {
      connection: this._connection,
      paths: [...this.paths],
      datasetType: this._datasetType,
      target: { kind: this._target?.kind ?? this._targetKind, id: this._target?.id ?? '' },
      properties,
      parents: [...this._parents]
    };
    if (this.notebook && this.includeNotebook) {
      body.includeNotebook = this.notebook;
    }
    return body;
  }

  /**
   * Start the upload. Returns the job, or `null` when the form or the server refused
   * (the errors are then on their fields, the values untouched).
   */
  async submit(): Promise<IJob | null> {
    if (!this.validate()) {
      return null;
    }
    const job = await this._call(() =>
      requestAPI<IJob>(
        'openbis/uploads',
        { method: 'POST', body: JSON.stringify(this.toRequest()) },
        this._settings
      )
    );
    return job ?? null;
  }

  dispose(): void {
    window.clearTimeout(this._searchTimer);
    Signal.clearData(this);
  }

  private async _loadTypes(): Promise<void> {
    const connection = this._connection;
    const answer = await this._call(() =>
      requestAPI<{ types: IDatasetType[] }>(
        `openbis/connections/${encodeURIComponent(connection)}/types/datasets`,
        {},
        this._settings
      )
    );
    if (answer === undefined || connection !== this._connection) {
      return;
    }
    this._types = answer.types;
    if (!answer.types.some(t => t.code === this._datasetType)) {
      this.setDatasetType(answer.types[0]?.code ?? '');
    } else {
      this._emit();
    }
  }

  /** The manifests of the folders the selection lives in (each folder once). */
  private async _loadManifest(): Promise<void> {
    const folders = new Set<string>();
    for (const path of this.paths) {
      folders.add(path);
      folders.add(PathExt.dirname(path));
    }
    const answers = await Promise.all(
      [...folders].map(folder =>
        requestAPI<{ datasets: IManifestEntry[] }>(
          `openbis/manifest${URLExt.objectToQueryString({ path: folder })}`,
          {},
          this._settings
        ).catch(() => ({ datasets: [] as IManifestEntry[] }))
      )
    );
    const byId = new Map<string, IManifestEntry>();
    answers.forEach(answer => answer.datasets.forEach(entry => byId.set(entry.permId, entry)));
    this._manifest = [...byId.values()];
    this._emit();
  }

  private _scheduleSearch(what: 'target' | 'parent'): void {
    window.clearTimeout(this._searchTimer);
    this._searchTimer = window.setTimeout(() => {
      void (what === 'target' ? this._searchTargets() : this._searchParents());
    }, this._searchDelay);
  }

  private async _searchTargets(): Promise<void> {
    const query = this._targetQuery.trim();
    if (query === '' || this.needsLogin) {
      this._targetResults = [];
      this._emit();
      return;
    }
    const ticket = ++this._searchTicket;
    const kind = this._targetKind;
    const search = URLExt.objectToQueryString({
      q: query,
      kind: kind === 'object' ? 'objects' : 'collections',
      count: 20
    });
    const answer = await this._call(() =>
      requestAPI<IPage<{ permId: string; identifier: string; name?: string | null }>>(
        `openbis/connections/${encodeURIComponent(this._connection)}/search${search}`,
        {},
        this._settings
      )
    );
    if (answer === undefined || ticket !== this._searchTicket) {
      return;
    }
    this._targetResults = answer.items.map(item => ({
      kind,
      id: item.permId,
      identifier: item.identifier,
      name: item.name
    }));
    this._emit();
  }

  private async _searchParents(): Promise<void> {
    const query = this._parentQuery.trim();
    if (query === '' || this.needsLogin) {
      this._parentResults = [];
      this._emit();
      return;
    }
    const ticket = ++this._searchTicket;
    const search = URLExt.objectToQueryString({ search: query, count: 20 });
    const answer = await this._call(() =>
      requestAPI<IPage<{ permId: string; type?: string; name?: string | null }>>(
        `openbis/connections/${encodeURIComponent(this._connection)}/datasets${search}`,
        {},
        this._settings
      )
    );
    if (answer === undefined || ticket !== this._searchTicket) {
      return;
    }
    this._parentResults = answer.items.map(item => ({
      permId: item.permId,
      type: item.type,
      source: 'search',
      description: item.name ?? ''
    }));
    this._emit();
  }

  /**
   * Run one server call; an ApiError's field errors land on their fields, any other
   * failure in `message`. Returns `undefined` when it failed.
   */
  private async _call<T>(call: () => Promise<T>): Promise<T | undefined> {
    this._busy++;
    this._emit();
    try {
      const answer = await call();
      this._message = '';
      return answer;
    } catch (reason) {
      this._absorb(reason);
      return undefined;
    } finally {
      this._busy--;
      this._emit();
    }
  }

  private _absorb(reason: unknown): void {
    if (reason instanceof ApiError) {
      const fieldErrors = [...reason.errors];
      if (fieldErrors.length === 0 && reason.field) {
        fieldErrors.push({ field: reason.field, message: reason.message });
      }
      for (const { field, message } of fieldErrors) {
        this._errors.set(normalizeField(field), message);
      }
      const shown = fieldErrors.some(e => this._isShown(normalizeField(e.field)));
      this._message = shown ? '' : reason.message;
      if (reason.code === 'login_required' || reason.status === 401) {
        const info = this.connectionInfo;
        if (info) {
          this._loggedIn.set(info.name, { ...info, status: 'expired', hasSecret: false });
        }
      }
    } else {
      this._message = reason instanceof Error ? reason.message : String(reason);
    }
  }

  /** Whether the dialog has a place for this field's error. */
  private _isShown(field: string): boolean {
    return (
      ['connection', 'login', 'target', 'target.id', 'target.kind', 'datasetType'].includes(
        field
      ) ||
      field.startsWith('parents') ||
      this._fields.some(f => propertyFieldName(f.code) === field)
    );
  }

  /** After a failed log-in, the server's message belongs next to the secret field. */
  private _moveErrorTo(field: string): void {
    if (this._message) {
      this._errors.set(field, this._message);
      this._message = '';
    }
    for (const key of ['password', 'token', 'username']) {
      const message = this._errors.get(key);
      if (message) {
        this._errors.delete(key);
        this._errors.set(field, message);
      }
    }
    this._emit();
  }

  private _problemText(field: IPropertyField, problem: string): string {
    const trans = this._trans;
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

  private _emit(): void {
    this._changed.emit();
  }

  private readonly _settings: ServerConnection.ISettings;
  private readonly _trans: TranslationBundle;
  private readonly _searchDelay: number;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _loggedIn = new Map<string, IOpenbisConnection>();
  private _connection: string;
  private _types: readonly IDatasetType[] = [];
  private _datasetType = '';
  private _fields: readonly IPropertyField[] = [];
  private _values = new Map<string, RawValue>();
  private _targetKind: 'object' | 'collection' = 'object';
  private _targetQuery = '';
  private _targetResults: readonly ITarget[] = [];
  private _target: ITarget | null = null;
  private _manifest: readonly IManifestEntry[] = [];
  private _parentQuery = '';
  private _parentResults: readonly IParentCandidate[] = [];
  private _parents: readonly string[] = [];
  private _errors = new Map<string, string>();
  private _message = '';
  private _busy = 0;
  private _searchTimer = 0;
  private _searchTicket = 0;
}

/** `properties.device` and `properties.DEVICE` are the same field. */
function normalizeField(field: string): string {
  return field.startsWith('properties.') ? `properties.${field.slice(11).toUpperCase()}` : field;
}
