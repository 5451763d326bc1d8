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

function ancestorsOf(dag: Dag, observed: readonly number[]): boolean[] {
  const mark = new Array<boolean>(dag.ids.length).fill(false);
  const stack = [...observed];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (mark[v]) continue;
    mark[v] = true;
    for (const p of dag.parents[v]) if (!mark[p]) stack.push(p);
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
  const obs = new Array<boolean>(n).fill(false);
  const observedIdx = observed.map((id) => dag.indexOf(id));
  for (const v of observedIdx) obs[v] = true;
  const ancestor = ancestorsOf(dag, observedIdx);
  const visited = new Uint8Array(2 * n);
  const previous = new Int32Array(2 * n).fill(-1);
  const reachable = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const push = (node: number, direction: number, from: number) => {
    const state = 2 * node + direction;
    if (visited[state]) return;
    visited[state] = 1;
    previous[state] = from;
    stack.push(state);
  };
  for (const id of sources) {
    const s = dag.indexOf(id);
    if (!obs[s]) push(s, UP, -1);
  }
  while (stack.length > 0) {
    const state = stack.pop()!;
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
