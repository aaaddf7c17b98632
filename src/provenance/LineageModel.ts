import { ISignal, Signal } from '@lumino/signaling';

import { messageOf } from '../request';
import { ILineage, ILineageNode, ProvenanceApi } from './api';

/**
 * A dataset's lineage as the picture shows it: the first answer two levels out, and every
 * expansion (a node's own lineage, one level) merged in.
 */
export class LineageModel {
  constructor(
    private readonly _api: ProvenanceApi,
    readonly connection: string,
    readonly permId: string
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get graph(): ILineage | null {
    return this._graph;
  }

  get problem(): string | null {
    return this._problem;
  }

  get loading(): boolean {
    return this._loading;
  }

  async load(): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      this._graph = await this._api.lineage(this.connection, this.permId, 2);
      this._problem = null;
    } catch (reason) {
      this._problem = messageOf(reason);
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  /** Bring in the relatives of an outermost node (one level on each side). */
  async expand(node: ILineageNode): Promise<void> {
    if (!this._graph || node.kind !== 'dataset' || !node.permId) {
      return;
    }
    try {
      const more = await this._api.lineage(this.connection, node.permId, 1);
      this._graph = merge(this._graph, more, node);
      this._problem = null;
    } catch (reason) {
      this._problem = messageOf(reason);
    }
    this._changed.emit();
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private _graph: ILineage | null = null;
  private _problem: string | null = null;
  private _loading = false;
  private readonly _changed = new Signal<this, void>(this);
}

/** `base` with the nodes and edges of `more` (a lineage centred on `around`). */
export function merge(base: ILineage, more: ILineage, around: ILineageNode): ILineage {
  const nodes = new Map(base.nodes.map(n => [n.id, n]));
  const offset = around.level ?? 0;
  for (const node of more.nodes) {
    const known = nodes.get(node.id);
    if (known) {
      if (node.id === around.id) {
        nodes.set(node.id, { ...known, moreParents: false, moreChildren: false });
      }
      continue;
    }
    nodes.set(node.id, { ...node, level: (node.level ?? 0) + offset });
  }
  const key = (e: { from: string; to: string }) => `${e.from}\u0000${e.to}`;
  const edges = new Map(base.edges.map(e => [key(e), e]));
  more.edges.forEach(e => edges.set(key(e), e));
  return { ...base, nodes: [...nodes.values()], edges: [...edges.values()] };
}
