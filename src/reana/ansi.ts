/**
 * Terminal colour codes in REANA logs (`\x1b[31m`…`\x1b[0m`, as Snakemake, pip and pytest
 * write them), read as styles instead of shown as raw escapes.
 *
 * Only SGR (select graphic rendition) is rendered: the 16 colours (as CSS classes that follow
 * the light or dark theme), 256-colour and 24-bit colours, bold, dim, italic, underline and
 * inverse. Every other escape sequence (cursor moves, erasing, window titles) is dropped: a
 * log view is not a terminal. A style runs on across lines until it is reset, as in a
 * terminal, so a parser is fed the lines of one log in order.
 */

/** The 8 colour names of SGR 30–37 / 40–47 (90–97 / 100–107: their bright forms). */
const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/** What a piece of text looks like; every field absent is the log's own look. */
export interface IAnsiStyle {
  /** A colour name (`red`, `bright-red`) or a CSS colour (`rgb(…)`) for 256/24-bit ones. */
  readonly fg?: string;
  readonly bg?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

/** A stretch of one line in one style. */
export interface IStyledText {
  readonly text: string;
  readonly style: IAnsiStyle;
}

/**
 * An escape sequence: CSI (`ESC [` params final), OSC (`ESC ]` … BEL or `ESC \`), or a
 * two-character one; `(?![\s\S])` marks one cut off at the end of what arrived so far.
 */
// eslint-disable-next-line no-control-regex -- escape characters are what it finds
const ESCAPE = /\x1b(?:\[([0-?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex -- the same, when the line ends inside one
const CUT_OFF = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*)?$/;

/** Reads the lines of one log in order, carrying the style from line to line. */
export class AnsiParser {
  /**
   * The line's text without escape sequences, in styled stretches (one stretch, unstyled,
   * for a line without any). `final: false` for a line that may still grow: its style is
   * not carried on, and an escape sequence cut off at its end is left out.
   */
  parse(line: string, final = true): IStyledText[] {
    let style = this.#style;
    const pieces: IStyledText[] = [];
    const add = (text: string) => {
      if (text) {
        pieces.push({ text, style });
      }
    };
    let at = 0;
    ESCAPE.lastIndex = 0;
    for (let match = ESCAPE.exec(line); match; match = ESCAPE.exec(line)) {
      add(line.slice(at, match.index));
      at = ESCAPE.lastIndex;
      if (match[2] === 'm') {
        style = applySgr(style, match[1]);
      }
    }
    const rest = line.slice(at);
    add(final ? rest : rest.replace(CUT_OFF, ''));
    if (final) {
      this.#style = style;
    }
    return pieces.length > 0 ? pieces : [{ text: '', style }];
  }

  #style: IAnsiStyle = {};
}

/** `text` without any escape sequence. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPE, '');
}

/** Whether a stretch looks like the log's own text (no span needed). */
export function isPlain(style: IAnsiStyle): boolean {
  return Object.keys(style).length === 0;
}

/** The CSS classes and inline style (256/24-bit colours only) of a stretch. */
export function ansiPresentation(style: IAnsiStyle): {
  className: string;
  css: { color?: string; backgroundColor?: string };
} {
  const [fg, bg] = style.inverse
    ? [style.bg ?? 'default-bg', style.fg ?? 'default-fg']
    : [style.fg, style.bg];
  const classes: string[] = [];
  const css: { color?: string; backgroundColor?: string } = {};
  if (fg) {
    if (fg.startsWith('rgb')) {
      css.color = fg;
    } else {
      classes.push(`jp-ReanaOpenbis-ansi-fg-${fg}`);
    }
  }
  if (bg) {
    if (bg.startsWith('rgb')) {
      css.backgroundColor = bg;
    } else {
      classes.push(`jp-ReanaOpenbis-ansi-bg-${bg}`);
    }
  }
  for (const flag of ['bold', 'dim', 'italic', 'underline'] as const) {
    if (style[flag]) {
      classes.push(`jp-ReanaOpenbis-ansi-${flag}`);
    }
  }
  return { className: classes.join(' '), css };
}

/** The style after one SGR sequence (`params`: the numbers between `ESC [` and `m`). */
function applySgr(style: IAnsiStyle, params: string): IAnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map(n => (n === '' ? 0 : Number(n)));
  let next: { -readonly [K in keyof IAnsiStyle]: IAnsiStyle[K] } = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) {
      next = {};
    } else if (code === 1) {
      next.bold = true;
    } else if (code === 2) {
      next.dim = true;
    } else if (code === 3) {
      next.italic = true;
    } else if (code === 4) {
      next.underline = true;
    } else if (code === 7) {
      next.inverse = true;
    } else if (code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) {
      delete next.italic;
    } else if (code === 24) {
      delete next.underline;
    } else if (code === 27) {
      delete next.inverse;
    } else if (code >= 30 && code <= 37) {
      next.fg = NAMES[code - 30];
    } else if (code >= 90 && code <= 97) {
      next.fg = `bright-${NAMES[code - 90]}`;
    } else if (code === 39) {
      delete next.fg;
    } else if (code >= 40 && code <= 47) {
      next.bg = NAMES[code - 40];
    } else if (code >= 100 && code <= 107) {
      next.bg = `bright-${NAMES[code - 100]}`;
    } else if (code === 49) {
      delete next.bg;
    } else if (code === 38 || code === 48) {
      const [color, used] = extendedColor(codes, i + 1);
      if (color) {
        next[code === 38 ? 'fg' : 'bg'] = color;
      }
      i += used;
    }
  }
  return next;
}

/** A 256-colour (`5;n`) or 24-bit (`2;r;g;b`) colour and how many codes it took. */
function extendedColor(codes: number[], at: number): [string | null, number] {
  if (codes[at] === 5 && at + 1 < codes.length) {
    return [color256(codes[at + 1]), 2];
  }
  if (codes[at] === 2 && at + 3 < codes.length) {
    const [r, g, b] = codes.slice(at + 1, at + 4).map(c => Math.max(0, Math.min(255, c)));
    return [`rgb(${r}, ${g}, ${b})`, 4];
  }
  return [null, codes.length - at];
}

/** xterm's 256 colours: the 16 named ones, a 6x6x6 cube, then 24 greys. */
function color256(n: number): string | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    return null;
  }
  if (n < 8) {
    return NAMES[n];
  }
  if (n < 16) {
    return `bright-${NAMES[n - 8]}`;
  }
  if (n < 232) {
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    const cube = n - 16;
    return `rgb(${level(Math.floor(cube / 36))}, ${level(Math.floor(cube / 6) % 6)}, ${level(cube % 6)})`;
  }
  const grey = 8 + (n - 232) * 10;
  return `rgb(${grey}, ${grey}, ${grey})`;
}
