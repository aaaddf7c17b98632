import { ILogPiece } from './api';

/**
 * One log as lines, grown piece by piece from the cursor-based logs route.
 *
 * Pieces arrive at arbitrary byte boundaries, so a line may come in two halves: the last,
 * unfinished line stays open until the next piece. Lines are kept as an array so a view
 * can render any window of a 100,000-line log without splitting it again.
 */
export class LogBuffer {
  /** Every line so far; the last one may still grow. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** The whole text, for "copy". */
  get text(): string {
    return this.#lines.join('\n');
  }

  /** Characters received, i.e. where the next piece should start. */
  get length(): number {
    return this.#length;
  }

  /**
   * Add what the server sent after the cursor.
   *
   * @returns whether the log changed.
   */
  apply(piece: ILogPiece): boolean {
    if (piece.reset || piece.offset < this.#length) {
      // The log was rewritten (or this piece overlaps): take the server's whole text.
      if (piece.reset || piece.offset === 0) {
        this.#lines = [''];
        this.#length = 0;
      } else {
        return false;
      }
    }
    if (!piece.text) {
      return piece.reset;
    }
    const parts = piece.text.split('\n');
    this.#lines[this.#lines.length - 1] += parts[0];
    for (let i = 1; i < parts.length; i++) {
      this.#lines.push(parts[i]);
    }
    this.#length = piece.offset + piece.text.length;
    return true;
  }

  #lines: string[] = [''];
  #length = 0;
}
