import React from 'react';
import { useTranslation } from '../../components/translation';
import { statusKind, statusLabel } from '../status';

/**
 * A run's status as a pill: the word in the normal text colour (readable in every theme)
 * and the meaning in the border and dot colours.
 */
export function WorkflowStatusBadge(props: { status: string }): JSX.Element {
  const trans = useTranslation();
  return (
    <span
      className={`jp-ReanaOpenbis-runStatus jp-mod-${statusKind(props.status)}`}
      data-status={props.status}
    >
      <span className="jp-ReanaOpenbis-statusDot" aria-hidden="true" />
      {statusLabel(props.status, trans)}
    </span>
  );
}
