import { PathExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import type { PublishFiles } from '../provenance/PublishFiles';
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
import { FormErrors, valueProblem } from './FormErrors';
import { IManifestEntry, UploadRequests } from './uploadRequests';

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
  /** Its NAME property, what people know it by. */
  readonly name?: string | null;
  /** Where it comes from: a folder of the selection, or a search. */
  readonly source: 'manifest' | 'search' | 'run';
  /** The files it brought into the folder (manifest) or its name (search). */
  readonly description: string;
}

/**
 * Publishing a REANA run instead of uploading local files: `paths` are then workspace
 * paths, and the run's inputs, target and summary come from its provenance record.
 */
export interface IPublishSource {
  readonly reanaConnection: string;
  readonly workflow: string;
  /** The run's openBIS input datasets, proposed (and ticked) as parents. */
  readonly parents: readonly { readonly permId: string; readonly type?: string | null }[];
  /** Where the inputs live, proposed as the target. */
  readonly target: { readonly kind: 'object' | 'collection'; readonly id: string } | null;
  /** The short text added to a multi-line property of the chosen type. */
  readonly summary: string;
  /** The workspace files and folders to publish: the declared outputs, editable. */
  readonly files: PublishFiles;
}

/** Codes of multi-line properties that take a run summary, best first. */
const SUMMARY_CODES = ['NOTES', '$NOTES', 'DESCRIPTION', '$DESCRIPTION', 'COMMENT', 'COMMENTS'];

/** What the dialog opens with. */
export interface IUploadFormOptions {
  serverSettings: ServerConnection.ISettings;
  trans: TranslationBundle;
  /** Files and folders relative to the server root (publishing: `publish.files` instead). */
  paths: readonly string[];
  /** Which of `paths` are folders; all when not given. */
  folders?: readonly string[];
  connections: readonly IOpenbisConnection[];
  /** A notebook among or next to the selection, offered for inclusion. */
  notebook: string | null;
  /** Delay (ms) between the last keystroke and a search request. */
  searchDelay?: number;
  /** Publish a run's workspace files (see `IPublishSource`). */
  publish?: IPublishSource;
  /** The connection to choose first (else the first connected one). */
  connection?: string | null;
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
    this.#server = new UploadRequests(options.serverSettings);
    this.#trans = options.trans;
    this.#paths = options.paths;
    this.#folders = new Set(options.folders ?? options.paths);
    this.notebook = options.notebook;
    this.includeNotebook = options.notebook !== null;
    this.connections = options.connections;
    this.#searchDelay = options.searchDelay ?? 300;
    const preferred =
      options.connections.find(c => c.name === options.connection) ??
      options.connections.find(c => c.status === 'connected') ??
      options.connections[0];
    this.#connection = preferred?.name ?? '';
    this.publish = options.publish ?? null;
    if (this.publish) {
      this.#parents = this.publish.parents.map(p => p.permId);
      const target = this.publish.target;
      if (target) {
        this.#targetKind = target.kind;
        this.#target = { kind: target.kind, id: target.id, identifier: target.id };
      }
      this.publish.files.changed.connect(this.#filesChanged, this);
    }
  }

  /** The run being published, or null for an upload of local files. */
  readonly publish: IPublishSource | null;

  /** The multi-line property of the chosen type that gets the run summary, if any. */
  get summaryField(): IPropertyField | null {
    if (!this.publish) {
      return null;
    }
    const multiline = this.#fields.filter(f => f.input === 'multiline');
    const rank = (f: IPropertyField) => {
      const index = SUMMARY_CODES.indexOf(f.code.toUpperCase());
      return index < 0 ? SUMMARY_CODES.length : index;
    };
    return [...multiline].sort((a, b) => rank(a) - rank(b))[0] ?? null;
  }

  /** What the dataset is made of: local paths, or the ticked workspace paths of a run. */
  get paths(): readonly string[] {
    return this.publish ? this.publish.files.chosen : this.#paths;
  }

  readonly notebook: string | null;
  readonly connections: readonly IOpenbisConnection[];
  includeNotebook: boolean;

  /** Emitted after every change of state, for the view to re-render. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  get connection(): string {
    return this.#connection;
  }

  /** The chosen connection as last listed (after a log-in: as the server answered). */
  get connectionInfo(): IOpenbisConnection | undefined {
    return (
      this.#loggedIn.get(this.#connection) ??
      this.connections.find(c => c.name === this.#connection)
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
    return this.#types;
  }

  get datasetType(): string {
    return this.#datasetType;
  }

  /** The inputs of the chosen dataset type. */
  get fields(): readonly IPropertyField[] {
    return this.#fields;
  }

  get targetKind(): 'object' | 'collection' {
    return this.#targetKind;
  }

  get targetQuery(): string {
    return this.#targetQuery;
  }

  get targetResults(): readonly ITarget[] {
    return this.#targetResults;
  }

  get target(): ITarget | null {
    return this.#target;
  }

  get parentCandidates(): readonly IParentCandidate[] {
    const fromManifest = this.#manifest
      .filter(entry => entry.connection === this.#connection)
      .map<IParentCandidate>(entry => ({
        permId: entry.permId,
        type: entry.type,
        name: entry.name,
        source: 'manifest',
        description: entry.files.slice(0, 3).join(', ')
      }));
    const fromRun = (this.publish?.parents ?? []).map<IParentCandidate>(p => ({
      permId: p.permId,
      type: p.type,
      source: 'run',
      description: ''
    }));
    const own = [...fromRun, ...fromManifest];
    const known = new Set(own.map(c => c.permId));
    return [...own, ...this.#parentResults.filter(c => !known.has(c.permId))];
  }

  get parents(): readonly string[] {
    return this.#parents;
  }

  get parentQuery(): string {
    return this.#parentQuery;
  }

  /** Whether something is being loaded (types, search, log-in, submit). */
  get busy(): boolean {
    return this.#busy > 0;
  }

  /** A problem not tied to one field (e.g. openBIS unreachable). */
  get message(): string {
    return this.#errors.message;
  }

  value(code: string): RawValue {
    return this.#values.get(code) ?? '';
  }

  /** The error of a request field, e.g. `properties.DEVICE` or `target.id`. */
  error(field: string): string | undefined {
    return this.#errors.get(field);
  }

  /** Every field error, for a summary. */
  get errors(): ReadonlyMap<string, string> {
    return this.#errors.all;
  }

  /** Read what the dialog needs at once: dataset types and the folders' manifests. */
  async load(): Promise<void> {
    await Promise.all([
      this.publish ? undefined : this.#loadManifest(),
      this.needsLogin ? undefined : this.#loadTypes()
    ]);
  }

  async setConnection(name: string): Promise<void> {
    if (name === this.#connection) {
      return;
    }
    this.#connection = name;
    this.#types = [];
    this.#target = null;
    this.#targetResults = [];
    this.#parentResults = [];
    this.#parents = this.#parents.filter(id => this.parentCandidates.some(c => c.permId === id));
    this.#errors.clear('connection');
    this.#emit();
    if (!this.needsLogin) {
      await this.#loadTypes();
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
    const answer = await this.#call(() => this.#server.login(this.#connection, body));
    if (answer === undefined) {
      this.#errors.moveTo('login');
      this.#emit();
      return false;
    }
    this.#loggedIn.set(answer.name, answer);
    this.#errors.clear('login');
    this.#emit();
    await this.#loadTypes();
    return true;
  }

  setTargetKind(kind: 'object' | 'collection'): void {
    if (kind !== this.#targetKind) {
      this.#targetKind = kind;
      this.#target = null;
      this.#targetResults = [];
      this.#emit();
      this.#scheduleSearch('target');
    }
  }

  /** Search-as-you-type: the request goes out once typing pauses; older answers are dropped. */
  setTargetQuery(query: string): void {
    this.#targetQuery = query;
    this.#emit();
    this.#scheduleSearch('target');
  }

  chooseTarget(target: ITarget | null): void {
    this.#target = target;
    this.#errors.clear('target');
    this.#emit();
  }

  setDatasetType(code: string): void {
    this.#datasetType = code;
    const type = this.#types.find(t => t.code === code);
    const previous = this.#values;
    this.#fields = type ? fieldsOf(type) : [];
    this.#values = new Map();
    const uploadName = this.paths.length === 1 ? PathExt.basename(this.paths[0]) : '';
    for (const field of this.#fields) {
      this.#values.set(field.code, previous.get(field.code) ?? defaultValue(field, uploadName));
    }
    this.#errors.clear('datasetType', 'properties');
    this.#emit();
  }

  setValue(code: string, raw: RawValue): void {
    this.#values.set(code, raw);
    this.#errors.clear(propertyFieldName(code));
    this.#emit();
  }

  setParentQuery(query: string): void {
    this.#parentQuery = query;
    this.#emit();
    this.#scheduleSearch('parent');
  }

  toggleParent(permId: string, on: boolean): void {
    this.#parents = on
      ? [...new Set([...this.#parents, permId])]
      : this.#parents.filter(id => id !== permId);
    this.#errors.clear('parents');
    this.#emit();
  }

  setIncludeNotebook(on: boolean): void {
    this.includeNotebook = on;
    this.#emit();
  }

  /** Check what the server would refuse anyway; marks every field at fault. */
  validate(): boolean {
    const trans = this.#trans;
    const errors = new Map<string, string>();
    if (!this.#connection) {
      errors.set('connection', trans.__('Choose an openBIS connection.'));
    } else if (this.needsLogin) {
      errors.set('login', trans.__('Log in to %1 first.', this.#connection));
    }
    if (this.publish && this.paths.length === 0) {
      errors.set('paths', trans.__('Tick at least one workspace file or folder to publish.'));
    }
    if (!this.#target) {
      errors.set('target.id', trans.__('Choose the object or collection the dataset belongs to.'));
    }
    if (!this.#datasetType) {
      errors.set('datasetType', trans.__('Choose a dataset type.'));
    }
    for (const field of this.#fields) {
      const raw = this.value(field.code);
      const converted = convertValue(field, raw);
      if (!converted.ok) {
        errors.set(propertyFieldName(field.code), valueProblem(field, converted.problem, trans));
      } else if (converted.value === null && field.mandatory) {
        errors.set(propertyFieldName(field.code), trans.__('%1 is mandatory.', field.label));
      }
    }
    this.#errors.replace(errors);
    this.#emit();
    return errors.size === 0;
  }

  /** The body of `POST /openbis/uploads`; call after `validate()`. */
  toRequest(): Record<string, unknown> {
    const properties: Record<string, string | number | boolean> = {};
    for (const field of this.#fields) {
      const converted = convertValue(field, this.value(field.code));
      if (converted.ok && converted.value !== null) {
        properties[field.code] = converted.value;
      }
    }
    const body: Record<string, unknown> = {
      connection: this.#connection,
      paths: [...this.paths],
      datasetType: this.#datasetType,
      target: { kind: this.#target?.kind ?? this.#targetKind, id: this.#target?.id ?? '' },
      properties,
      parents: [...this.#parents]
    };
    if (this.notebook && this.includeNotebook) {
      body.includeNotebook = this.notebook;
    }
    if (this.publish) {
      const { connection, ...rest } = body;
      return { ...rest, openbisConnection: connection, summaryProperty: this.summaryField?.code };
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
    const publish = this.publish;
    const body = this.toRequest();
    const job = await this.#call(() =>
      publish
        ? this.#server.publish(publish.reanaConnection, publish.workflow, body)
        : this.#server.upload(body)
    );
    return job ?? null;
  }

  dispose(): void {
    window.clearTimeout(this.#searchTimer);
    Signal.clearData(this);
  }

  async #loadTypes(): Promise<void> {
    const connection = this.#connection;
    const types = await this.#call(() => this.#server.datasetTypes(connection));
    if (types === undefined || connection !== this.#connection) {
      return;
    }
    this.#types = types;
    if (!types.some(t => t.code === this.#datasetType)) {
      this.setDatasetType(types[0]?.code ?? '');
    } else {
      this.#emit();
    }
  }

  /** The manifests of the selected folders and of those the selection lives in (each once). */
  async #loadManifest(): Promise<void> {
    const folders = new Set<string>();
    for (const path of this.paths) {
      if (this.#folders.has(path)) {
        folders.add(path);
      }
      folders.add(PathExt.dirname(path));
    }
    this.#manifest = await this.#server.manifests(folders);
    this.#emit();
  }

  #scheduleSearch(what: 'target' | 'parent'): void {
    window.clearTimeout(this.#searchTimer);
    this.#searchTimer = window.setTimeout(() => {
      void (what === 'target' ? this.#searchTargets() : this.#searchParents());
    }, this.#searchDelay);
  }

  async #searchTargets(): Promise<void> {
    const query = this.#targetQuery.trim();
    if (query === '' || this.needsLogin) {
      this.#targetResults = [];
      this.#emit();
      return;
    }
    const ticket = ++this.#searchTicket;
    const kind = this.#targetKind;
    const hits = await this.#call(() => this.#server.searchTargets(this.#connection, query, kind));
    if (hits === undefined || ticket !== this.#searchTicket) {
      return;
    }
    this.#targetResults = hits.map(item => ({
      kind,
      id: item.permId,
      identifier: item.identifier,
      name: item.name
    }));
    this.#emit();
  }

  async #searchParents(): Promise<void> {
    const query = this.#parentQuery.trim();
    if (query === '' || this.needsLogin) {
      this.#parentResults = [];
      this.#emit();
      return;
    }
    const ticket = ++this.#searchTicket;
    const hits = await this.#call(() => this.#server.searchDatasets(this.#connection, query));
    if (hits === undefined || ticket !== this.#searchTicket) {
      return;
    }
    this.#parentResults = hits.map(item => ({
      permId: item.permId,
      type: item.type,
      name: item.name,
      source: 'search',
      description: item.name ?? ''
    }));
    this.#emit();
  }

  /**
   * Run one server call; an ApiError's field errors land on their fields, any other
   * failure in `message`. Returns `undefined` when it failed.
   */
  async #call<T>(call: () => Promise<T>): Promise<T | undefined> {
    this.#busy++;
    this.#emit();
    try {
      const answer = await call();
      this.#errors.message = '';
      return answer;
    } catch (reason) {
      if (this.#errors.absorb(reason, field => this.#isShown(field))) {
        const info = this.connectionInfo;
        if (info) {
          this.#loggedIn.set(info.name, { ...info, status: 'expired', hasSecret: false });
        }
      }
      return undefined;
    } finally {
      this.#busy--;
      this.#emit();
    }
  }

  /** Whether the dialog has a place for this field's error. */
  #isShown(field: string): boolean {
    return (
      ['connection', 'login', 'target', 'target.id', 'target.kind', 'datasetType'].includes(
        field
      ) ||
      field.startsWith('parents') ||
      (this.publish !== null && field.startsWith('paths')) ||
      this.#fields.some(f => propertyFieldName(f.code) === field)
    );
  }

  /** Ticking or unticking a workspace path answers a refusal about the paths. */
  #filesChanged(): void {
    this.#errors.clear('paths');
    this.#emit();
  }

  #emit(): void {
    this.#changed.emit();
  }

  readonly #server: UploadRequests;
  readonly #paths: readonly string[];
  /** The selected paths that are folders, whose own manifests count. */
  readonly #folders: ReadonlySet<string>;
  readonly #trans: TranslationBundle;
  readonly #searchDelay: number;
  readonly #changed = new Signal<this, void>(this);
  readonly #loggedIn = new Map<string, IOpenbisConnection>();
  #connection: string;
  #types: readonly IDatasetType[] = [];
  #datasetType = '';
  #fields: readonly IPropertyField[] = [];
  #values = new Map<string, RawValue>();
  #targetKind: 'object' | 'collection' = 'object';
  #targetQuery = '';
  #targetResults: readonly ITarget[] = [];
  #target: ITarget | null = null;
  #manifest: readonly IManifestEntry[] = [];
  #parentQuery = '';
  #parentResults: readonly IParentCandidate[] = [];
  #parents: readonly string[] = [];
  readonly #errors = new FormErrors();
  #busy = 0;
  #searchTimer = 0;
  #searchTicket = 0;
}
