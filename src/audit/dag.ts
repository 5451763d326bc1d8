/**
 * A small directed acyclic graph with string node ids, adjacency lists in both directions and
 * insertion order preserved: the substrate of the information-flow graph and of d-separation.
 */
import { OpenloopError } from "../errors.js";

/** A directed graph over named nodes (acyclicity is the builder's responsibility). */
export class Dag {
  readonly ids: string[] = [];
  readonly parents: number[][] = [];
  readonly children: number[][] = [];
  private readonly index = new Map<string, number>();

  /** Adds a node (idempotent) and returns its index. */
  addNode(id: string): number {
    const existing = this.index.get(id);
    if (existing !== undefined) return existing;
    const i = this.ids.length;
    this.ids.push(id);
    this.parents.push([]);
    this.children.push([]);
    this.index.set(id, i);
    return i;
  }

  /** Adds the edge `from -> to` (both nodes are added if missing; duplicate edges are ignored). */
  addEdge(from: string, to: string): void {
    const a = this.addNode(from);
    const b = this.addNode(to);
    if (a === b) throw new OpenloopError("internal", `self-loop on '${from}'`);
    if (!this.children[a].includes(b)) {
      this.children[a].push(b);
      this.parents[b].push(a);
    }
  }

  /** Whether a node exists. */
  has(id: string): boolean {
    return this.index.has(id);
  }

  /** The index of a node; throws for an unknown id. */
  indexOf(id: string): number {
    const i = this.index.get(id);
    if (i === undefined) throw new OpenloopError("internal", `unknown node '${id}'`);
    return i;
  }

  /** The number of edges. */
  get edgeCount(): number {
    return this.children.reduce((sum, list) => sum + list.length, 0);
  }

  /** All edges as `[from, to]` id pairs, in insertion order of their source nodes. */
  edges(): [string, string][] {
    return this.children.flatMap((list, a) => list.map((b): [string, string] => [this.ids[a], this.ids[b]]));
  }

  /**
   * A DAG from an edge list; `nodes` adds isolated nodes.
   * @example Dag.from([["A", "B"], ["B", "C"]])
   */
  static from(edges: readonly (readonly [string, string])[], nodes: readonly string[] = []): Dag {
    const dag = new Dag();
    for (const id of nodes) dag.addNode(id);
    for (const [from, to] of edges) dag.addEdge(from, to);
    return dag;
  }
}
