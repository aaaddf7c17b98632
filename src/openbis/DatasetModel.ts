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
    return this.#detail;
  }

  get files(): IOpenbisDatasetFiles | null {
    return this.#files;
  }

  /** Why the dataset could not be read; `null` while fine. */
  get problem(): IProblem | null {
    return this.#problem;
  }

  get loading(): boolean {
    return this.#loading;
  }

  /** Paths picked for download; a folder stands for everything below it. */
  get selection(): string[] {
    return [...this.#selection];
  }

  /** Emitted after a load or a change of the selection. */
  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  /** Read the detail and the files; failures become `problem`. Never rejects. */
  async load(): Promise<void> {
    this.#loading = true;
    this.#problem = null;
    this.#changed.emit();
    try {
      const [detail, files] = await Promise.all([
        this.client.dataset(this.connection, this.permId),
        this.client.files(this.connection, this.permId)
      ]);
      this.#detail = detail;
      this.#files = files;
    } catch (error) {
      this.#problem = problemOf(error);
    }
    this.#loading = false;
    this.#changed.emit();
  }

  /** Whether `path` is picked, itself or through a picked folder above it. */
  isSelected(path: string): boolean {
    for (let p = path; p; p = parentOf(p)) {
      if (this.#selection.has(p)) {
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
    if (this.#selection.has(path)) {
      this.#selection.delete(path);
    } else {
      for (const picked of [...this.#selection]) {
        if (picked.startsWith(`${path}/`)) {
          this.#selection.delete(picked);
        }
      }
      this.#selection.add(path);
    }
    this.#changed.emit();
  }

  clearSelection(): void {
    if (this.#selection.size > 0) {
      this.#selection.clear();
      this.#changed.emit();
    }
  }

  #detail: IOpenbisDatasetDetail | null = null;
  #files: IOpenbisDatasetFiles | null = null;
  #problem: IProblem | null = null;
  #loading = false;
  readonly #selection = new Set<string>();
  readonly #changed = new Signal<this, void>(this);
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
