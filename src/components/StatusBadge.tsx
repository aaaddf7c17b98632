import React from 'react';

/** How a status should catch the eye; the label always says it in words too. */
export type StatusTone = 'ok' | 'warn' | 'error' | 'idle';

/** A coloured dot with a word: colour alone would not reach every user. */
export function StatusBadge(props: { tone: StatusTone; label: string }): JSX.Element {
  return (
    <span className={`jp-ReanaOpenbis-status jp-mod-${props.tone}`}>
      <span className="jp-ReanaOpenbis-statusDot" aria-hidden="true" />
      {props.label}
    </span>
  );
}
