/**
 * Names from openBIS, REANA or the disk as they are shown: every character that changes how
 * the text around it is laid out, or that shows as nothing, is written out as `⟨U+202E⟩`.
 *
 * Without this, a file another user named `\u202Eevil\u202C.txt` (a right-to-left override)
 * shows as "live.txt", and a tab or line break in a name splits it on screen. Only what is
 * shown changes: requests keep the real name.
 *
 * Covered: the bidirectional controls (embeddings, overrides, isolates, marks), the other
 * zero-width characters that carry no meaning of their own (zero-width space, word joiner,
 * invisible operators, byte order mark) and the C0/C1 control characters. Zero-width
 * (non-)joiners are left alone: Indic and Arabic scripts and emoji sequences need them, and
 * they cannot reorder text.
 */
const HIDDEN = /[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/** The same, except line breaks and tabs: for multi-line text such as property values and logs. */
const HIDDEN_IN_TEXT =
  /(?![\t\n\r])[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

function marker(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** A name (file, folder, dataset, run, connection…) with its hidden characters shown. */
export function shownName(name: string): string;
export function shownName(name: string | null | undefined): string | undefined;
export function shownName(name: string | null | undefined): string | undefined {
  return name === null || name === undefined ? undefined : name.replace(HIDDEN, marker);
}

/** Free text (a property value, a log, a message) with its hidden characters shown. */
export function shownText(text: string): string {
  return text.replace(HIDDEN_IN_TEXT, marker);
}

/** Whether `text` holds a character `shownName` writes out. */
export function hasHiddenCharacters(text: string): boolean {
  return new RegExp(HIDDEN.source, 'u').test(text);
}
