import dagre from '@dagrejs/dagre';
import React, { useEffect, useMemo } from 'react';

import { useSignal } from '../components/hooks';
import { useTranslation } from '../components/translation';
import { shownName } from '../components/names';
import { ILineage, ILineageNode } from './api';
import { LineageModel } from './LineageModel';

const NODE_WIDTH = 190;
const NODE_HEIGHT = 46;
/** Characters of a name that fit a node's first line. */
const NAME_CHARS = 26;

/** What a click on a node does; the dataset view provides it. */
export interface ILineageActions {
  openDataset(permId: string): void;
  openRun(node: ILineageNode): void;
}

interface IPlaced {
  node: ILineageNode;
  x: number;
  y: number;
}

/** Positions from dagre, left (ancestors) to right (descendants). */
export function layout(graph: ILineage): {
  placed: IPlaced[];
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
} {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 46, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  graph.nodes.forEach(node => g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT }));
  graph.edges
    .filter(e => g.hasNode(e.from) && g.hasNode(e.to))
    .forEach(e => g.setEdge(e.from, e.to));
  dagre.layout(g);
  const placed = graph.nodes.map(node => {
    const box = g.node(node.id);
    return { node, x: box.x, y: box.y };
  });
  const edges = g.edges().map(e => ({ from: e.v, to: e.w, points: g.edge(e).points ?? [] }));
  const size = g.graph();
  return { placed, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

function shorten(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** The lineage picture of a dataset view: loads on mount, nodes open on click or Enter. */
export function LineageGraph(props: {
  model: LineageModel;
  actions: ILineageActions;
}): JSX.Element | null {
  const t = useTranslation();
  const { model } = props;
  useSignal(model.changed);
  useEffect(() => {
    if (!model.graph && !model.loading) {
      void model.load();
    }
  }, [model]);
  const graph = model.graph;
  const drawn = useMemo(() => (graph ? layout(graph) : null), [graph]);
  if (model.problem && !graph) {
    return (
      <p className="jp-ReanaOpenbis-muted" role="status">
        {t.__('The lineage could not be read: %1', model.problem)}
      </p>
    );
  }
  if (!graph || !drawn) {
    return <p className="jp-ReanaOpenbis-muted">{t.__('Loading the lineage…')}</p>;
  }
  if (graph.nodes.length <= 1) {
    return <p className="jp-ReanaOpenbis-muted">{t.__('No parents or children are recorded.')}</p>;
  }
  const open = (node: ILineageNode) =>
    node.kind === 'run'
      ? props.actions.openRun(node)
      : props.actions.openDataset(node.permId ?? node.id);
  return (
    <div className="jp-ReanaOpenbis-lineageGraph">
      <svg
        role="group"
        aria-label={t.__('Lineage of %1', graph.center)}
        width={drawn.width}
        height={drawn.height}
        viewBox={`0 0 ${drawn.width} ${drawn.height}`}
      >
        <defs>
          <marker
            id="jp-ReanaOpenbis-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="jp-ReanaOpenbis-lineageArrow" />
          </marker>
        </defs>
        {drawn.edges.map(edge => (
          <polyline
            key={`${edge.from}->${edge.to}`}
            className="jp-ReanaOpenbis-lineageEdge"
            points={edge.points.map(p => `${p.x},${p.y}`).join(' ')}
            markerEnd="url(#jp-ReanaOpenbis-arrow)"
          />
        ))}
        {drawn.placed.map(({ node, x, y }) => (
          <LineageNode
            key={node.id}
            node={node}
            x={x}
            y={y}
            center={node.id === graph.center}
            onOpen={() => open(node)}
            onExpand={() => void model.expand(node)}
          />
        ))}
      </svg>
      {model.problem && <p className="jp-ReanaOpenbis-error">{model.problem}</p>}
    </div>
  );
}

function LineageNode(props: {
  node: ILineageNode;
  x: number;
  y: number;
  center: boolean;
  onOpen: () => void;
  onExpand: () => void;
}): JSX.Element {
  const t = useTranslation();
  const { node, x, y } = props;
  const run = node.kind === 'run';
  const title = run
    ? t.__('REANA run %1', node.name ?? node.workflowId ?? '')
    : shownName(node.name ?? node.permId ?? node.id);
  const subtitle = run
    ? t.__('REANA run')
    : shownName([node.type, node.permId].filter(Boolean).join(' · '));
  const left = x - NODE_WIDTH / 2;
  const top = y - NODE_HEIGHT / 2;
  const more = node.moreParents || node.moreChildren;
  const classes = [
    'jp-ReanaOpenbis-lineageNode',
    run ? 'jp-mod-run' : 'jp-mod-dataset',
    props.center ? 'jp-mod-center' : ''
  ].join(' ');
  return (
    <g className={classes}>
      <g
        role="button"
        tabIndex={0}
        aria-label={run ? title : t.__('Open dataset %1', title)}
        onClick={props.onOpen}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            props.onOpen();
          }
        }}
      >
        <title>{run ? `${title}\n${node.server ?? ''}` : `${title}\n${node.permId ?? ''}`}</title>
        <rect x={left} y={top} width={NODE_WIDTH} height={NODE_HEIGHT} rx={run ? 18 : 4} />
        <text x={left + 10} y={top + 19} className="jp-ReanaOpenbis-lineageName">
          {shorten(title, NAME_CHARS)}
        </text>
        <text x={left + 10} y={top + 36} className="jp-ReanaOpenbis-lineageSub">
          {shorten(subtitle, NAME_CHARS + 2)}
        </text>
      </g>
      {more && (
        <g
          role="button"
          tabIndex={0}
          className="jp-ReanaOpenbis-lineageMore"
          aria-label={t.__('Show more of the lineage of %1', title)}
          onClick={props.onExpand}
          onKeyDown={event => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              props.onExpand();
            }
          }}
        >
          <title>{t.__('Show more')}</title>
          <circle cx={node.moreParents ? left : left + NODE_WIDTH} cy={y} r={8} />
          <text x={node.moreParents ? left : left + NODE_WIDTH} y={y + 4} textAnchor="middle">
            +
          </text>
        </g>
      )}
    </g>
  );
}
