/**
 * Frenzel-Pompe conditional mutual information (Phys. Rev. Lett. 99, 204101, 2007), the KSG
 * algorithm 1 idea applied to I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(Z) - H(X,Y,Z):
 *   I = psi(k) - < psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1) >,
 * eps_i = max-norm distance from (x_i, y_i, z_i) to its k-th neighbour in the joint space;
 * n_xz, n_yz, n_z count the points j != i strictly within eps_i in those subspaces. X, Y, Z of any
 * dimension. Ties are broken by seeded low-amplitude noise, as for KSG.
 */
import { KdTree } from "./kdtree.js";
import {
  asVariable,
  checkNoZeroDistance,
  DEFAULT_JITTER,
  DEFAULT_K,
  inUnit,
  type KnnOptions,
  type KnnPreprocessOptions,
  prepareVariables,
} from "./knn-input.js";
import { digammaTable } from "./knn-math.js";
import { neighborCounter } from "./knn-space.js";

/** Options of {@link frenzelPompeCMI}. */
export interface FrenzelPompeOptions extends KnnOptions, KnnPreprocessOptions {}

/**
 * Conditional mutual information I(X;Y|Z) of continuous variables, each given as columns.
 * @example frenzelPompeCMI([x], [y], [z]) // ~ 0 bits when X and Y are independent given Z
 */
export function frenzelPompeCMI(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  z: readonly ArrayLike<number>[],
  options: FrenzelPompeOptions = {},
): number {
  const k = options.k ?? DEFAULT_K;
  const { n, variables } = prepareVariables(
    [
      ["x", x],
      ["y", y],
      ["z", z],
    ],
    k,
    {
      transform: options.transform ?? "none",
      jitter: options.jitter ?? DEFAULT_JITTER,
      seed: options.seed ?? 0,
    },
  );
  const [vx, vy, vz] = variables;
  const joint = asVariable([...vx.columns, ...vy.columns, ...vz.columns]);
  const eps = new KdTree(joint.rows, joint.dim).kthDistances(k, "max");
  checkNoZeroDistance(eps, k, "Frenzel-Pompe conditional mutual information");
  const cxz = neighborCounter(asVariable([...vx.columns, ...vz.columns]));
  const cyz = neighborCounter(asVariable([...vy.columns, ...vz.columns]));
  const cz = neighborCounter(vz);
  const psi = digammaTable(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = eps[i];
    sum +=
      psi[cxz.countAround(i, e, false) + 1] +
      psi[cyz.countAround(i, e, false) + 1] -
      psi[cz.countAround(i, e, false) + 1];
  }
  return inUnit(psi[k] - sum / n, options.unit);
}
