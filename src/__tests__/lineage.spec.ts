import { ILineage } from '../provenance/api';
import { layout } from '../provenance/LineageGraph';
import { merge } from '../provenance/LineageModel';

/** parent -> run -> center -> child, the child having more children beyond the answer. */
const GRAPH: ILineage = {
  center: 'C',
  depth: 2,
  nodes: [
    { id: 'P', kind: 'dataset', permId: 'P', level: -1 },
    { id: 'run:1', kind: 'run', workflowId: '1', name: 'loop.1', level: 0 },
    { id: 'C', kind: 'dataset', permId: 'C', level: 0 },
    { id: 'K', kind: 'dataset', permId: 'K', level: 1, moreChildren: true }
  ],
  edges: [
    { from: 'P', to: 'run:1' },
    { from: 'run:1', to: 'C' },
    { from: 'C', to: 'K' }
  ]
};

describe('the lineage picture', () => {
  it('lays ancestors out left of the dataset and descendants right of it', () => {
    const drawn = layout(GRAPH);
    const x = Object.fromEntries(drawn.placed.map(p => [p.node.id, p.x]));
    expect(x.P).toBeLessThan(x['run:1']);
    expect(x['run:1']).toBeLessThan(x.C);
    expect(x.C).toBeLessThan(x.K);
    expect(drawn.edges).toHaveLength(3);
    expect(drawn.width).toBeGreaterThan(0);
  });

  it('merges an expansion once, shifted to the expanded node, which has no more to show', () => {
    const more: ILineage = {
      center: 'K',
      depth: 1,
      nodes: [
        { id: 'C', kind: 'dataset', permId: 'C', level: -1 },
        { id: 'K', kind: 'dataset', permId: 'K', level: 0 },
        { id: 'G', kind: 'dataset', permId: 'G', level: 1 }
      ],
      edges: [
        { from: 'C', to: 'K' },
        { from: 'K', to: 'G' }
      ]
    };
    const merged = merge(GRAPH, more, GRAPH.nodes[3]);
    expect(merged.nodes.map(n => n.id).sort()).toEqual(['C', 'G', 'K', 'P', 'run:1']);
    expect(merged.nodes.find(n => n.id === 'G')?.level).toBe(2);
    expect(merged.nodes.find(n => n.id === 'K')?.moreChildren).toBe(false);
    expect(merged.edges).toHaveLength(4);
  });
});
