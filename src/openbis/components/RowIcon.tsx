import { LabIcon } from '@jupyterlab/ui-components';
import React, { useLayoutEffect, useRef } from 'react';

/** Each icon's svg, made once; rows get copies of it. */
const svgOfIcon = new Map<LabIcon, Node>();

/**
 * A LabIcon for rows that exist by the thousand (a tree level of 1,000 items): a copy of the
 * icon's svg node in a span. `LabIcon.react` parses the svg text again for every row and
 * reconnects a signal on every render, which made up most of the time to render such a level;
 * copying a node costs a fraction of that. The span's CSS class sizes the svg.
 */
export function RowIcon(props: { icon: LabIcon; className: string }): JSX.Element {
  const { icon } = props;
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    let svg = svgOfIcon.get(icon);
    if (!svg) {
      svg = icon.element({ tag: null });
      svgOfIcon.set(icon, svg);
    }
    ref.current?.replaceChildren(svg.cloneNode(true));
  }, [icon]);
  return <span ref={ref} className={props.className} aria-hidden="true" />;
}
