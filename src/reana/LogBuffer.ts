import { shownText } from '../components/names';
import { AnsiParser, IStyledText } from './ansi';
import { ILogPiece } from './api';

/**
 * One log as lines, grown piece by piece from the cursor-based logs route.
 *
 * Pieces arrive at arbitrary byte boundaries, so a line may come in two halves: the last,
 * unfinished line stays open until the next piece. Lines are kept as an array so a view
 * can render any window of a 100,000-line log without splitting it again.
 *
 * Lines are kept as they are shown: terminal colour codes read into styled stretches
 * (`styles`, see `ansi.ts`) and taken out of the text, and characters that would hide or
 * reorder text written out (`shownText`), so a line's length is its width on screen.
 */
export class LogBuffer {
  /** Every line so far, as shown; the last one may still grow. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /**
   * The styled stretches of line i (their texts join to `lines[i]`), or `null` for a line
   * in the log's own style: most lines, which then cost nothing more.
   */
  styles(index: number): readonly IStyledText[] | null {
    return this.#styles[index] ?? null;
  }

  /** The whole text as shown, for "copy". */
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
        this.#styles = [];
        this.#open = '';
        this.#parser = new AnsiParser();
        this.#length = 0;
      } else {
        return false;
      }
    }
    if (!piece.text) {
      return piece.reset;
    }
    const parts = (this.#open + piece.text).split('\n');
    this.#open = parts.pop() ?? '';
    // The open line is replaced by what it has become, then followed by the new ones.
    let index = this.#lines.length - 1;
    for (const part of parts) {
      this.#set(index++, this.#parser.parse(part));
    }
    this.#set(index, this.#parser.parse(this.#open, false));
    this.#length = piece.offset + piece.text.length;
    return true;
  }

  #set(index: number, stretches: IStyledText[]): void {
    const shown = stretches.map(s => ({ text: shownText(s.text), style: s.style }));
    this.#lines[index] = shown.map(s => s.text).join('');
    const styled = shown.some(s => Object.keys(s.style).length > 0);
    if (styled) {
      this.#styles[index] = shown;
    } else if (index < this.#styles.length) {
      this.#styles[index] = null;
    }
  }

  #lines: string[] = [''];
  #styles: (IStyledText[] | null)[] = [];
  /** The raw text of the last line, which may still grow (and end inside an escape). */
  #open = '';
  #parser = new AnsiParser();
  #length = 0;
}
