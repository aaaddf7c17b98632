import { ISignal, Signal } from '@lumino/signaling';

import { ISpecValidation, ReanaApi } from './api';
import { describeProblem } from './status';

/** Where the validation of one spec stands. */
export type ValidationState =
  | { readonly status: 'checking' }
  | { readonly status: 'done'; readonly result: ISpecValidation }
  /** No reana-client environment on the server: the UI shows how to install it. */
  | { readonly status: 'reana_client_missing'; readonly command: string }
  | { readonly status: 'failed'; readonly message: string };

/** Validates one spec on the server (`POST /reana/validate`) and keeps the last verdict. */
export class ValidationModel {
  /**
   * @param connection - the connection whose server may judge the spec (a bundle server
   *   validates it itself; otherwise reana-client does, here), asked at each validation.
   */
  constructor(
    readonly api: ReanaApi,
    readonly path: string,
    private readonly _installCommand: () => string,
    private readonly _connection: () => Promise<string | null> = async () => null
  ) {}

  get state(): ValidationState {
    return this.#state;
  }

  get changed(): ISignal<this, ValidationState> {
    return this.#changed;
  }

  /** Ask the server; concurrent calls let only the latest answer write. Never rejects. */
  async validate(): Promise<ValidationState> {
    const generation = ++this.#generation;
    this.#set({ status: 'checking' });
    let state: ValidationState;
    try {
      const connection = await this._connection();
      state = { status: 'done', result: await this.api.validate(this.path, connection) };
    } catch (error) {
      const problem = describeProblem(error);
      state =
        problem.kind === 'reana-client'
          ? { status: 'reana_client_missing', command: this._installCommand() }
          : { status: 'failed', message: problem.message };
    }
    if (generation === this.#generation) {
      this.#set(state);
    }
    return state;
  }

  #set(state: ValidationState): void {
    this.#state = state;
    this.#changed.emit(state);
  }

  #state: ValidationState = { status: 'checking' };
  #generation = 0;
  readonly #changed = new Signal<this, ValidationState>(this);
}
