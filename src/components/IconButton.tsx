import React from 'react';
import { LabIcon } from '@jupyterlab/ui-components';

/**
 * A compact toolbar-like button: one LabIcon at JupyterLab's toolbar size, its label as
 * tooltip and accessible name (an icon alone says nothing to a screen reader).
 */
export function IconButton(props: {
  label: string;
  icon: LabIcon;
  onClick: () => void;
  disabled?: boolean;
  className?: string;
}): JSX.Element {
  return (
    <button
      type="button"
      className={`jp-Button jp-mod-minimal jp-ReanaOpenbis-iconButton ${props.className ?? ''}`}
      title={props.label}
      aria-label={props.label}
      disabled={props.disabled}
      onClick={event => {
        event.stopPropagation();
        props.onClick();
      }}
    >
      <props.icon.react tag="span" elementSize="normal" />
    </button>
  );
}
