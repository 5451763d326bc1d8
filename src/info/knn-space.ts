/**
 * The marginal-space counting index the KSG, Frenzel-Pompe and mixed estimators use: a sorted
 * array for one dimension (binary search), a k-d tree otherwise. Both count the points j != i
 * within a max-norm radius of point i.
 */
import { KdTree } from "./kdtree.js";
import type { KnnVariable } from "./knn-input.js";
import { SortedLine } from "./knn-line.js";

/** Counts neighbours of a stored point within a max-norm radius. */
export interface NeighborCounter {
  /** Points j != i with distance to i below `radius` (`inclusive`: at most `radius`). */
  countAround(i: number, radius: number, inclusive: boolean): number;
}

/** Builds the fastest counter for a variable: a sorted line in 1-D, a k-d tree above. */
export function neighborCounter(variable: KnnVariable): NeighborCounter {
  return variable.dim === 1 ? new SortedLine(variable.columns[0]) : new KdTree(variable.rows, variable.dim);
}
