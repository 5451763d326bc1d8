/**
 * Kraskov-Stoegbauer-Grassberger mutual information (Phys. Rev. E 69, 066138, 2004), both
 * algorithms, X and Y of any dimension, max norm in the joint space Z = (X, Y):
 *   algorithm 1: I = psi(k) + psi(N) - < psi(n_x + 1) + psi(n_y + 1) >,
 *     eps_i = distance to the k-th neighbour of z_i; n_x counts j != i with ||x_j - x_i|| < eps_i;
 *   algorithm 2: I = psi(k) - 1/k + psi(N) - < psi(n_x) + psi(n_y) >,
 *     eps_x,i = largest x-distance among the k neighbours of z_i; n_x counts ||x_j - x_i|| <= eps_x,i.
 * Ties: as in the paper, low-amplitude noise (default 1e-10 of each column's scale, seeded) is added
 * to break degeneracies; with the noise off, duplicated points are an error.
 */
import { OpenloopError } from "../errors.js";
import { KdTree } from "./kdtree.js";
import {
  asVariable,
  checkNoZeroDistance,
  DEFAULT_JITTER,
  DEFAULT_K,
  inUnit,
  type KnnOptions,
  type KnnPreprocessOptions,
  type KnnVariable,
  prepareVariables,
} from "./knn-input.js";
import { digammaTable } from "./knn-math.js";
import { neighborCounter } from "./knn-space.js";

/** Options of {@link ksgMutualInformation}. */
export interface KsgOptions extends KnnOptions, KnnPreprocessOptions {
  /** KSG algorithm 1 (default) or 2. */
  algorithm?: 1 | 2;
}

/**
 * Mutual information I(X;Y) of two continuous variables, each given as columns.
 * @example ksgMutualInformation([x], [y], { k: 3 }) // ~ 0.737 bits for Gaussians with rho = 0.8
 */
export function ksgMutualInformation(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  options: KsgOptions = {},
): number {
  const k = options.k ?? DEFAULT_K;
  const algorithm = options.algorithm ?? 1;
  if (algorithm !== 1 && algorithm !== 2) {
    throw new OpenloopError("estimator", `KSG algorithm must be 1 or 2, got ${String(algorithm)}`);
  }
  const { n, variables } = prepareVariables(
    [
      ["x", x],
      ["y", y],
    ],
    k,
    {
      transform: options.transform ?? "none",
      jitter: options.jitter ?? DEFAULT_JITTER,
      seed: options.seed ?? 0,
    },
  );
  const [vx, vy] = variables;
  const joint = asVariable([...vx.columns, ...vy.columns]);
  const tree = new KdTree(joint.rows, joint.dim);
  const cx = neighborCounter(vx);
  const cy = neighborCounter(vy);
  const psi = digammaTable(n);
  let sum = 0;
  let nats: number;
  if (algorithm === 1) {
    const eps = tree.kthDistances(k, "max");
    checkNoZeroDistance(eps, k, "KSG mutual information");
    for (let i = 0; i < n; i++) {
      sum += psi[cx.countAround(i, eps[i], false) + 1] + psi[cy.countAround(i, eps[i], false) + 1];
    }
    nats = psi[k] + psi[n] - sum / n;
  } else {
    const neighbors = tree.allNearest(k, "max");
    const kth = new Float64Array(n);
    for (let i = 0; i < n; i++) kth[i] = neighbors.distances[i * k + k - 1];
    checkNoZeroDistance(kth, k, "KSG mutual information");
    for (let i = 0; i < n; i++) {
      const ex = spread(vx, i, neighbors.indices, i * k, k);
      const ey = spread(vy, i, neighbors.indices, i * k, k);
      sum += psi[cx.countAround(i, ex, true)] + psi[cy.countAround(i, ey, true)];
    }
    nats = psi[k] - 1 / k + psi[n] - sum / n;
  }
  return inUnit(nats, options.unit);
}

/** Largest max-norm distance, within variable v, from point i to the listed neighbours. */
function spread(v: KnnVariable, i: number, indices: Int32Array, offset: number, k: number): number {
  const dim = v.dim;
  const rows = v.rows;
  let d = 0;
  for (let j = 0; j < k; j++) {
    const a = i * dim;
    const b = indices[offset + j] * dim;
    for (let c = 0; c < dim; c++) {
      const t = rows[b + c] - rows[a + c];
      const abs = t < 0 ? -t : t;
      if (abs > d) d = abs;
    }
  }
  return d;
}
