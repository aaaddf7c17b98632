import { Clipboard } from '@jupyterlab/apputils';
import { copyIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { IconButton } from '../../components/IconButton';
import { useTranslation } from '../../components/translation';
import { ansiPresentation, isPlain, IStyledText } from '../ansi';

/** The height of one log line in px; `.jp-ReanaOpenbis-logLine` in reana.css matches it. */
export const LOG_LINE_HEIGHT = 18;

/** Lines rendered above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 30;

/**
 * How many of a log's lines to show: a log ending with a newline has an empty last line that
 * is not a line, and a log of blank lines only is no log (REANA 0.9.4 and 0.95 answer `"\n"`
 * for a run whose engine wrote nothing: "Nothing logged yet.", not one empty line).
 */
export function shownLineCount(lines: readonly string[]): number {
  if (lines.every(line => line.trim() === '')) {
    return 0;
  }
  return lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
}

/** Which lines to render for a scroll position: `[first, last)` of `total`. */
export function visibleWindow(
  scrollTop: number,
  viewHeight: number,
  total: number
): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / LOG_LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / LOG_LINE_HEIGHT) + OVERSCAN);
  return [first, Math.max(first, last)];
}

/** A line as shown: tabs expanded to stops of 8, so its width in columns is its length. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) {
    return line;
  }
  let out = '';
  for (const char of line) {
    out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char;
  }
  return out;
}

/**
 * A line cut into rows of at most `columns` characters, after the last space that fits
 * (inside a word only when the word alone is longer), as a text view wraps.
 */
export function wrapLine(line: string, columns: number): string[] {
  const rows: string[] = [];
  let start = 0;
  while (line.length - start > columns) {
    const space = line.lastIndexOf(' ', start + columns);
    const end = space > start ? space + 1 : start + columns;
    // A space just past the last column ends the row without taking a column of it (as a
    // text view lets it hang); kept, it made the row one column too wide.
    rows.push(line.slice(start, Math.min(end, start + columns)));
    start = end;
  }
  rows.push(line.slice(start));
  return rows;
}

/**
 * Where each line starts when wrapped at `columns` (see `wrapLine`): `starts[i]` is line
 * i's first row, `starts[total]` the number of rows. Only long lines cost more than a look.
 */
export function wrapRows(lines: readonly string[], total: number, columns: number): Uint32Array {
  const starts = new Uint32Array(total + 1);
  for (let i = 0; i < total; i++) {
    const line = expandTabs(lines[i]);
    starts[i + 1] = starts[i] + (line.length > columns ? wrapLine(line, columns).length : 1);
  }
  return starts;
}

/**
 * A styled line as shown: tabs expanded across its stretches, and a line break wherever
 * `wrapLine` breaks the same text (`columns` null: no wrapping).
 */
export function layoutStyled(
  stretches: readonly IStyledText[],
  columns: number | null
): IStyledText[] {
  let column = 0;
  const expanded = stretches.map(({ text, style }) => {
    let out = '';
    for (const char of text) {
      out += char === '\t' ? ' '.repeat(8 - (column % 8)) : char;
      column = char === '\t' ? column + 8 - (column % 8) : column + 1;
    }
    return { text: out, style };
  });
  if (columns === null) {
    return expanded;
  }
  const line = expanded.map(s => s.text).join('');
  const breaks = new Set<number>();
  let at = 0;
  for (const row of wrapLine(line, columns).slice(0, -1)) {
    at += row.length;
    breaks.add(at);
  }
  const out: IStyledText[] = [];
  let offset = 0;
  for (const { text, style } of expanded) {
    let piece = '';
    for (const char of text) {
      if (breaks.has(offset) && offset > 0) {
        piece += '\n';
      }
      piece += char;
      offset += char.length;
    }
    out.push({ text: piece, style });
  }
  return out;
}

/** The last line starting at or before `row` (binary search in `starts`). */
function lineAtRow(starts: Uint32Array, row: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= row) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

/**
 * A log of any length: only the lines in view are in the DOM (a 100,000-line log costs
 * what 100 do), it follows new lines while the user has not scrolled away or paused it,
 * wraps long lines (or scrolls sideways, as the user picks) and copies as a whole.
 */
export function LogView(props: {
  /** The lines; mutated in place as the log grows, so `version` says when. */
  lines: readonly string[];
  version: number;
  label: string;
  /** The whole text, for copying. */
  text: () => string;
  /** The styled stretches of a line (terminal colours), null for a plain one. */
  styles?: (index: number) => readonly IStyledText[] | null;
}): JSX.Element {
  const trans = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const measure = useRef<HTMLSpanElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(600);
  const [columns, setColumns] = useState(80);
  const [autoScroll, setAutoScroll] = useState(true);
  const [wrap, setWrap] = useState(true);
  const lines = props.lines;
  const total = shownLineCount(lines);
  const starts = useMemo(
    () => (wrap ? wrapRows(lines, total, columns) : null),
    [lines, props.version, total, columns, wrap]
  );
  const rows = starts ? starts[total] : total;

  useLayoutEffect(() => {
    const node = scroller.current;
    if (node && autoScroll) {
      node.scrollTop = node.scrollHeight;
      setScrollTop(node.scrollTop);
    }
  }, [props.version, rows, autoScroll]);

  useEffect(() => {
    const node = scroller.current;
    if (!node) {
      return;
    }
    const resize = () => {
      setViewHeight(node.clientHeight || 600);
      // The lines' box is the scroller's minus its padding; one column is one `0` wide.
      const style = getComputedStyle(node);
      const width =
        node.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const charWidth = (measure.current?.getBoundingClientRect().width ?? 0) / 10;
      if (charWidth > 0) {
        setColumns(Math.max(1, Math.floor((width - 1) / charWidth)));
      }
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const node = scroller.current;
    if (!node) {
      return;
    }
    setScrollTop(node.scrollTop);
    const atBottom = node.scrollHeight - node.scrollTop - node.clientHeight < LOG_LINE_HEIGHT * 2;
    if (!atBottom && autoScroll) {
      setAutoScroll(false);
    }
  };

  let [first, last] = visibleWindow(scrollTop, viewHeight, rows);
  if (starts) {
    [first, last] = [lineAtRow(starts, first), Math.min(total, lineAtRow(starts, last) + 1)];
  }
  const shown: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const row = starts ? starts[i] : i;
    const height = ((starts ? starts[i + 1] : i + 1) - row) * LOG_LINE_HEIGHT;
    const styled = props.styles?.(i);
    shown.push(
      <div
        key={i}
        className="jp-ReanaOpenbis-logLine"
        style={{ top: row * LOG_LINE_HEIGHT, height }}
      >
        {styled
          ? layoutStyled(styled, starts ? columns : null).map((stretch, j) => (
              <StyledText key={j} stretch={stretch} />
            ))
          : (starts ? wrapLine(expandTabs(lines[i]), columns).join('\n') : expandTabs(lines[i])) ||
            ' '}
      </div>
    );
  }
  return (
    <div className="jp-ReanaOpenbis-log">
      <div className="jp-ReanaOpenbis-logToolbar">
        <span className="jp-ReanaOpenbis-muted">{trans.__('%1 lines', total)}</span>
        <label>
          <input
            type="checkbox"
            checked={autoScroll}
            onChange={e => setAutoScroll(e.target.checked)}
          />
          {trans.__('Auto-scroll')}
        </label>
        <label>
          <input type="checkbox" checked={wrap} onChange={e => setWrap(e.target.checked)} />
          {trans.__('Wrap lines')}
        </label>
        <IconButton
          icon={copyIcon}
          label={trans.__('Copy the whole log')}
          onClick={() => Clipboard.copyToSystem(props.text())}
        />
      </div>
      <div
        ref={scroller}
        className="jp-ReanaOpenbis-logScroller"
        role="log"
        aria-label={props.label}
        tabIndex={0}
        onScroll={onScroll}
      >
        <span ref={measure} className="jp-ReanaOpenbis-logMeasure" aria-hidden="true">
          0000000000
        </span>
        {total === 0 ? (
          <p className="jp-ReanaOpenbis-muted">{trans.__('Nothing logged yet.')}</p>
        ) : (
          <div className="jp-ReanaOpenbis-logLines" style={{ height: rows * LOG_LINE_HEIGHT }}>
            {shown}
          </div>
        )}
      </div>
    </div>
  );
}

/** A stretch of a log line in its terminal style. */
function StyledText(props: { stretch: IStyledText }): JSX.Element {
  const { text, style } = props.stretch;
  if (isPlain(style)) {
    return <>{text}</>;
  }
  const { className, css } = ansiPresentation(style);
  return (
    <span className={className} style={css}>
      {text}
    </span>
  );
}
