import { Clipboard } from '@jupyterlab/apputils';
import { copyIcon } from '@jupyterlab/ui-components';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

import { h } from '../../jsx';
import { useTranslation } from '../../components/translation';

/** The height of one log line in px; `.jp-ReanaOpenbis-logLine` in reana.css matches it. */
export const LOG_LINE_HEIGHT = 18;

/** Lines rendered above and below the visible ones, so fast scrolling shows no gaps. */
const OVERSCAN = 30;

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

/**
 * A log of any length: only the lines in view are in the DOM (a 100,000-line log costs
 * what 100 do), it follows new lines while the user has not scrolled away or paused it,
 * and copies as a whole.
 */
export function LogView(props: {
  /** The lines; mutated in place as the log grows, so `version` says when. */
  lines: readonly string[];
  version: number;
  label: string;
  /** The whole text, for copying. */
  text: () => string;
}): JSX.Element {
  const trans = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(600);
  const [autoScroll, setAutoScroll] = useState(true);
  const lines = props.lines;
  // A log ending with a newline has an empty last line that is not a line to show.
  const total = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;

  useLayoutEffect(() => {
    const node = scroller.current;
    if (node && autoScroll) {
      node.scrollTop = node.scrollHeight;
      setScrollTop(node.scrollTop);
    }
  }, [props.version, total, autoScroll]);

  useEffect(() => {
    const node = scroller.current;
    if (!node) {
      return;
    }
    setViewHeight(node.clientHeight || 600);
    const observer = new ResizeObserver(() => setViewHeight(node.clientHeight || 600));
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

  const [first, last] = visibleWindow(scrollTop, viewHeight, total);
  const shown: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    shown.push(
      <div key={i} className="jp-ReanaOpenbis-logLine" style={{ top: i * LOG_LINE_HEIGHT }}>
        {lines[i] || ' '}
      </div>
    );
  }
  return (
    <div className="jp-ReanaOpenbis-log">
      <div className="jp-ReanaOpenbis-logToolbar">
        <span className="jp-ReanaOpenbis-muted">{trans.__('%1 lines', total)}</span>
        <label className="jp-ReanaOpenbis-checkbox">
          <input
            type="checkbox"
            checked={autoScroll}
            onChange={e => setAutoScroll(e.target.checked)}
          />
          {trans.__('Auto-scroll')}
        </label>
        <button
          className="jp-Button jp-mod-minimal jp-ReanaOpenbis-iconButton"
          title={trans.__('Copy the whole log')}
          aria-label={trans.__('Copy the whole log')}
          onClick={() => Clipboard.copyToSystem(props.text())}
        >
          <copyIcon.react tag="span" />
        </button>
      </div>
      <div
        ref={scroller}
        className="jp-ReanaOpenbis-logScroller"
        role="log"
        aria-label={props.label}
        tabIndex={0}
        onScroll={onScroll}
      >
        {total === 0 ? (
          <p className="jp-ReanaOpenbis-muted">{trans.__('Nothing logged yet.')}</p>
        ) : (
          <div className="jp-ReanaOpenbis-logLines" style={{ height: total * LOG_LINE_HEIGHT }}>
            {shown}
          </div>
        )}
      </div>
    </div>
  );
}
