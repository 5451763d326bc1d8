/**
 * d-separation by the Bayes-ball reachability algorithm (Shachter 1998; Koller & Friedman 2009,
 * Algorithm 3.1): every node reachable from a source by an active trail given an observed set,
 * in time linear in the size of the graph. Each (node, direction) state is visited at most once.
 */
import type { Dag } from "./dag.js";

const UP = 0; // the trail arrives from a child (travels upwards)
const DOWN = 1; // the trail arrives from a parent (travels downwards)

/** The result of one reachability pass: which nodes are reachable and how. */
export interface Reachability {
  /** reachable[i]: node i is connected to a source by an active trail (never true for observed nodes). */
  reachable: boolean[];
  /** Reconstructs one active trail from a source to node `id` (null when unreachable). */
  trail(id: string): string[] | null;
}

function ancestorsOf(dag: Dag, observed: readonly number[]): Uint8Array {
  const mark = new Uint8Array(dag.ids.length);
  const stack = new Int32Array(dag.ids.length);
  let top = 0;
  for (const v of observed) {
    if (mark[v]) continue;
    mark[v] = 1;
    stack[top++] = v;
  }
  while (top > 0) {
    const v = stack[--top];
    for (const p of dag.parents[v]) {
      if (mark[p]) continue;
      mark[p] = 1;
      stack[top++] = p;
    }
  }
  return mark;
}

/**
 * Every node connected to one of `sources` by a trail that is active given `observed`.
 * @example reachableGiven(Dag.from([["A","B"],["B","C"]]), ["A"], ["B"]).reachable // C is not reachable
 */
export function reachableGiven(
  dag: Dag,
  sources: readonly string[],
  observed: readonly string[],
): Reachability {
  const n = dag.ids.length;
  const obs = new Uint8Array(n);
  const observedIdx = observed.map((id) => dag.indexOf(id));
  for (const v of observedIdx) obs[v] = 1;
  const ancestor = ancestorsOf(dag, observedIdx);
  const visited = new Uint8Array(2 * n);
  const previous = new Int32Array(2 * n).fill(-1);
  const reachable = new Array<boolean>(n).fill(false);
  const stack = new Int32Array(2 * n); // each state is pushed at most once
  let top = 0;
  const push = (node: number, direction: number, from: number) => {
    const state = 2 * node + direction;
    if (visited[state]) return;
    visited[state] = 1;
    previous[state] = from;
    stack[top++] = state;
  };
  for (const id of sources) {
    const s = dag.indexOf(id);
    if (!obs[s]) push(s, UP, -1);
  }
  while (top > 0) {
    const state = stack[--top];
    const v = state >> 1;
    const direction = state & 1;
    if (!obs[v]) reachable[v] = true;
    if (direction === UP && !obs[v]) {
      for (const p of dag.parents[v]) push(p, UP, state);
      for (const c of dag.children[v]) push(c, DOWN, state);
    } else if (direction === DOWN) {
      if (!obs[v]) for (const c of dag.children[v]) push(c, DOWN, state);
      if (ancestor[v]) for (const p of dag.parents[v]) push(p, UP, state);
    }
  }
  const trail = (id: string): string[] | null => {
    const v = dag.indexOf(id);
    let state = visited[2 * v + DOWN] ? 2 * v + DOWN : visited[2 * v + UP] ? 2 * v + UP : -1;
    if (state < 0 || obs[v]) return null;
    const path: string[] = [];
    while (state >= 0) {
      const node = dag.ids[state >> 1];
      const seen = path.indexOf(node);
      if (seen >= 0) path.length = seen; // cut a loop through an observed collider's parent
      path.push(node);
      state = previous[state];
    }
    return path.reverse();
  };
  return { reachable, trail };
}

/**
 * Whether every node of `xs` is d-separated from every node of `ys` given `zs`.
 * @example dSeparated(Dag.from([["A","C"],["B","C"]]), ["A"], ["B"], []) // true (collider)
 */
export function dSeparated(
  dag: Dag,
  xs: readonly string[],
  ys: readonly string[],
  zs: readonly string[],
): boolean {
  const { reachable } = reachableGiven(dag, xs, zs);
  return ys.every((y) => zs.includes(y) || !reachable[dag.indexOf(y)]);
}
