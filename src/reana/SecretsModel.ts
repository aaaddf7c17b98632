import { ISignal, Signal } from '@lumino/signaling';

import { ISecret, ISecretInput, ReanaApi } from './api';
import { describeProblem, ReanaProblem } from './status';

/** What an add came to: done, a name already taken (the user may replace it), or refused. */
export type AddOutcome =
  | { readonly kind: 'added' }
  | { readonly kind: 'exists' }
  | { readonly kind: 'refused'; readonly problem: ReanaProblem };

/**
 * One connection's REANA secrets: names and types as REANA lists them. Values pass
 * through `add` to the server and are not kept here.
 */
export class SecretsModel {
  constructor(
    readonly api: ReanaApi,
    readonly connection: string
  ) {}

  get secrets(): readonly ISecret[] | null {
    return this.#secrets;
  }

  get problem(): ReanaProblem | null {
    return this.#problem;
  }

  get busy(): boolean {
    return this.#busy;
  }

  get changed(): ISignal<this, void> {
    return this.#changed;
  }

  async load(): Promise<void> {
    await this.#run(async () => {
      this.#secrets = await this.api.listSecrets(this.connection);
    });
  }

  async add(input: ISecretInput): Promise<AddOutcome> {
    let outcome: AddOutcome = { kind: 'added' };
    await this.#run(async () => {
      try {
        await this.api.addSecret(this.connection, input);
      } catch (reason) {
        const problem = describeProblem(reason);
        outcome =
          problem.kind === 'input' && problem.code === 'secret_exists'
            ? { kind: 'exists' }
            : { kind: 'refused', problem };
        return;
      }
      this.#secrets = await this.api.listSecrets(this.connection);
    });
    return outcome;
  }

  async remove(name: string): Promise<void> {
    await this.#run(async () => {
      await this.api.deleteSecret(this.connection, name);
      this.#secrets = await this.api.listSecrets(this.connection);
    });
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#problem = null;
    this.#changed.emit();
    try {
      await work();
    } catch (reason) {
      this.#problem = describeProblem(reason);
    } finally {
      this.#busy = false;
      this.#changed.emit();
    }
  }

  #secrets: readonly ISecret[] | null = null;
  #problem: ReanaProblem | null = null;
  #busy = false;
  readonly #changed = new Signal<this, void>(this);
}
