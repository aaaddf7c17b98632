import { ISignal, Signal } from '@lumino/signaling';

import { OpenbisClient } from './client';
import { IProblem, problemOf } from './errors';
import { IOpenbisDatasetDetail, IOpenbisDatasetFiles } from './types';

/**
 * One dataset as its view shows it: the detail (labelled properties, lineage) and the
 * file tree, read together, and the files the user picked for a partial download.
 */
export class DatasetModel {
  constructor(options: DatasetModel.IOptions) {
    this.client = options.client;
    this.connection = options.connection;
    this.permId = options.permId;
  }

  readonly client: OpenbisClient;
  readonly connection: string;
  readonly permId: string;

  get detail(): IOpenbisDatasetDetail | null {
    return this._detail;
  }

  get files(): IOpenbisDatasetFiles | null {
    return this._files;
  }

  /** Why the dataset could not be read; `null` while fine. */
  get problem(): IProblem | null {
    return this._problem;
  }

  get loading(): boolean {
    return this._loading;
  }

  /** Paths picked for download; a folder stands for everything below it. */
  get selection(): string[] {
    return [...this._selection];
  }

  /** Emitted after a load or a change of the selection. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Read the detail and the files; failures become `problem`. Never rejects. */
  async load(): Promise<void> {
    this._loading = true;
    this._problem = null;
    this._changed.emit();
    try {
      const [detail, files] = await Promise.all([
        this.client.dataset(this.connection, this.permId),
        this.client.files(this.connection, this.permId)
      ]);
      this._detail = detail;
      this._files = files;
    } catch (error) {
      this._problem = problemOf(error);
    }
    this._loading = false;
    this._changed.emit();
  }

  /** Whether `path` is picked, itself or through a picked folder above it. */
  isSelected(path: string): boolean {
    for (let p = path; p; p = parentOf(p)) {
      if (this._selection.has(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a folder above `path` is picked, which decides for it. */
  isCoveredByFolder(path: string): boolean {
    const parent = parentOf(path);
    return parent !== '' && this.isSelected(parent);
  }

  /** Pick or unpick one path; picking a folder drops the picks below it. */
  toggle(path: string): void {
    if (this.isCoveredByFolder(path)) {
      return;
    }
    if (this._selection.has(path)) {
      this._selection.delete(path);
    } else {
      for (const picked of [...this._selection]) {
        if (picked.startsWith(`${path}/`)) {
          this._selection.delete(picked);
        }
      }
      this._selection.add(path);
    }
    this._changed.emit();
  }

  clearSelection(): void {
    if (this._selection.size > 0) {
      this._selection.clear();
      this._changed.emit();
    }
  }

  private _detail: IOpenbisDatasetDetail | null = null;
  private _files: IOpenbisDatasetFiles | null = null;
  private _problem: IProblem | null = null;
  private _loading = false;
  private readonly _selection = new Set<string>();
  private readonly _changed = new Signal<this, void>(this);
}

export namespace DatasetModel {
  export interface IOptions {
    client: OpenbisClient;
    connection: string;
    permId: string;
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
