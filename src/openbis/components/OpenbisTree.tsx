import {
  Button,
  caretDownIcon,
  caretRightIcon,
  fileIcon,
  folderIcon,
  LabIcon,
  launchIcon,
  listIcon,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import React, { useEffect, useRef } from 'react';

import { shownName, shownText } from '../../components/names';
import { useTranslation } from '../../components/translation';
import { BrowserModel, ITreeNode, NodeKind, TreeRow } from '../BrowserModel';
import { IOpenbisDataset } from '../types';
import { longDate, shortDate } from './format';
import { RowIcon } from './RowIcon';

/** What the tree can ask its owner for. */
export interface ITreeActions {
  openDataset(permId: string): void;
  /** Open the run dialog with these datasets as its openBIS inputs. */
  useAsReanaInput(datasets: readonly IOpenbisDataset[]): void;
  /** Log the browsed connection in again after its session ended. */
  login(): void;
}

const KIND_ICONS: Record<NodeKind, LabIcon> = {
  space: folderIcon,
  project: folderIcon,
  collection: listIcon,
  object: tableRowsIcon,
  dataset: fileIcon
};

/** Pixels per level: small, so deep codes keep their room in a side panel. */
const INDENT = 8;

/** The DOM id of a row, for `aria-activedescendant`. */
function rowId(key: string): string {
  return `jp-ReanaOpenbis-node-${key.replace(/[^A-Za-z0-9_:./-]/g, '_')}`;
}

/** Open a dataset, or open/close any other node. */
function activateNode(model: BrowserModel, actions: ITreeActions, node: ITreeNode): void {
  if (node.kind === 'dataset') {
    const permId = node.entity.permId;
    if (permId) {
      actions.openDataset(permId);
    }
  } else {
    void model.toggle(node.key);
  }
}

/**
 * The openBIS tree as an ARIA tree: focus stays on the tree while the arrow keys move the
 * active row (Up/Down, Right opens or enters, Left closes or goes up, Home/End, Enter opens
 * a dataset or toggles a node). Only loaded rows exist; "Load more" ends a long level.
 */
export function OpenbisTree(props: { model: BrowserModel; actions: ITreeActions }): JSX.Element {
  const trans = useTranslation();
  const { model, actions } = props;
  const rows = model.rows;
  const selected = model.selected;
  const treeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (selected) {
      document.getElementById(rowId(selected.key))?.scrollIntoView({ block: 'nearest' });
    }
  }, [selected]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const nodes = rows.filter(r => r.type === 'node');
    if (nodes.length === 0) {
      return;
    }
    const index = selected ? nodes.findIndex(r => r.node.key === selected.key) : -1;
    const current = index >= 0 ? nodes[index] : null;
    const go = (i: number) =>
      model.select(nodes[Math.max(0, Math.min(nodes.length - 1, i))].node.key);
    switch (event.key) {
      case 'ArrowDown':
        go(index + 1);
        break;
      case 'ArrowUp':
        go(index < 0 ? 0 : index - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(nodes.length - 1);
        break;
      case 'ArrowRight':
        if (!current) {
          go(0);
        } else if (current.expandable && !current.expanded) {
          void model.expand(current.node.key);
        } else if (current.expanded && nodes[index + 1]?.node.parent === current.node) {
          go(index + 1);
        }
        break;
      case 'ArrowLeft':
        if (current?.expanded) {
          model.collapse(current.node.key);
        } else if (current?.node.parent) {
          model.select(current.node.parent.key);
        }
        break;
      case 'Enter':
      case ' ':
        if (current) {
          activateNode(model, actions, current.node);
        }
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      ref={treeRef}
      role="tree"
      aria-label={trans.__('openBIS entities')}
      className="jp-ReanaOpenbis-tree jp-ReanaOpenbis-fill"
      tabIndex={0}
      aria-activedescendant={selected ? rowId(selected.key) : undefined}
      onKeyDown={onKeyDown}
    >
      {rows.map(row => (
        <Row
          key={row.type === 'node' ? row.node.key : row.key}
          row={row}
          model={model}
          selected={row.type === 'node' && row.node === selected}
          actions={actions}
        />
      ))}
    </div>
  );
}

interface IRowProps {
  row: TreeRow;
  model: BrowserModel;
  selected: boolean;
  actions: ITreeActions;
}

/**
 * The model makes new row objects on every change; equal fields mean an equal row, so a
 * keypress in a level of 1,000 rows renders the two rows whose selection changed, not all.
 */
function sameRow(previous: IRowProps, next: IRowProps): boolean {
  if (
    previous.model !== next.model ||
    previous.actions !== next.actions ||
    previous.selected !== next.selected
  ) {
    return false;
  }
  const before = previous.row as Record<string, unknown>;
  const after = next.row as Record<string, unknown>;
  const keys = Object.keys(after);
  return (
    keys.length === Object.keys(before).length && keys.every(key => before[key] === after[key])
  );
}

const Row = React.memo(RowView, sameRow);

function RowView(props: IRowProps): JSX.Element {
  const trans = useTranslation();
  const { row, model } = props;
  const indent = {
    paddingLeft: `${(row.type === 'node' ? row.node.depth - 1 : row.depth - 1) * INDENT}px`
  };
  if (row.type === 'more') {
    return (
      <div role="none" className="jp-ReanaOpenbis-treeMore" style={indent}>
        <Button
          small
          minimal
          disabled={row.loading}
          onClick={() => void model.loadMore(row.parentKey, row.level)}
        >
          {row.loading
            ? trans.__('Loading…')
            : trans.__(
                'Load more (%1 of %2 shown)',
                row.loaded.toLocaleString(),
                row.total.toLocaleString()
              )}
        </Button>
      </div>
    );
  }
  if (row.type === 'status') {
    const problem = row.problem;
    return (
      <div role="none" className="jp-ReanaOpenbis-treeStatus" style={indent}>
        {row.state === 'loading' && (
          <span className="jp-ReanaOpenbis-muted">{trans.__('Loading…')}</span>
        )}
        {row.state === 'empty' && (
          <span className="jp-ReanaOpenbis-muted">{trans.__('Nothing here')}</span>
        )}
        {problem && (
          <span className="jp-ReanaOpenbis-error" role="alert">
            {shownText(problem.message)}{' '}
            {problem.kind === 'login-required' ? (
              <Button small onClick={() => props.actions.login()}>
                {trans.__('Log in again')}
              </Button>
            ) : (
              <Button small minimal onClick={() => void model.refresh()}>
                {trans.__('Retry')}
              </Button>
            )}
          </span>
        )}
      </div>
    );
  }
  const { node, expandable, expanded } = row;
  const entity = node.entity as IOpenbisDataset;
  const Caret = expanded ? caretDownIcon : caretRightIcon;
  const Icon = KIND_ICONS[node.kind];
  const archived = node.kind === 'dataset' && entity.status === 'ARCHIVED';
  const date = shortDate(entity.registrationDate);
  const primary = shownName(node.kind === 'dataset' && entity.name ? entity.name : entity.code);
  const secondary =
    node.kind !== 'dataset' && entity.name && entity.name !== entity.code
      ? shownName(entity.name)
      : null;
  const type = shownName(entity.type);
  const label = [primary, secondary, archived ? trans.__('archived') : null]
    .filter(Boolean)
    .join(', ');
  return (
    <div
      role="treeitem"
      id={rowId(node.key)}
      aria-level={node.depth}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={expandable ? expanded : undefined}
      aria-selected={props.selected}
      aria-label={label}
      className={`jp-ReanaOpenbis-treeRow${props.selected ? ' jp-mod-selected' : ''}`}
      style={indent}
      title={[
        primary !== shownName(entity.code) ? primary : null,
        shownName(entity.identifier ?? entity.permId ?? entity.code),
        type,
        entity.registrationDate
          ? trans.__(
              'Registered %1 by %2',
              longDate(entity.registrationDate),
              entity.registrator ?? '?'
            )
          : null
      ]
        .filter(Boolean)
        .join('\n')}
      onClick={() => model.select(node.key)}
      onDoubleClick={() => activateNode(model, props.actions, node)}
    >
      <span
        className="jp-ReanaOpenbis-treeCaret"
        aria-hidden="true"
        onClick={event => {
          event.stopPropagation();
          model.select(node.key);
          if (expandable) {
            void model.toggle(node.key);
          }
        }}
      >
        {expandable && <RowIcon icon={Caret} className="jp-ReanaOpenbis-treeIcon" />}
      </span>
      <RowIcon icon={Icon} className="jp-ReanaOpenbis-treeIcon" />
      <span className="jp-ReanaOpenbis-treeLabel">
        <span className="jp-ReanaOpenbis-treeCode">{primary}</span>
        {secondary && <span className="jp-ReanaOpenbis-treeName">{secondary}</span>}
      </span>
      {archived && <span className="jp-ReanaOpenbis-tag jp-mod-warn">{trans.__('archived')}</span>}
      {type && <span className="jp-ReanaOpenbis-treeType">{type}</span>}
      {date && <span className="jp-ReanaOpenbis-treeDate">{date}</span>}
      {node.kind === 'dataset' && (
        <Button
          small
          minimal
          className="jp-ReanaOpenbis-iconButton jp-ReanaOpenbis-treeOpen"
          tabIndex={-1}
          title={trans.__('Open dataset %1', primary)}
          aria-label={trans.__('Open dataset %1', primary)}
          onClick={event => {
            event.stopPropagation();
            activateNode(model, props.actions, node);
          }}
        >
          <launchIcon.react tag="span" elementSize="small" />
        </Button>
      )}
    </div>
  );
}
