/**
 * The estimators of openloop (pure functions, no I/O): units, seeded randomness, discrete codes
 * and counts, discrete entropy estimators, joint/conditional entropy, MI and CMI, the kNN
 * estimators for continuous and mixed data (with their k-d tree), and resampling. All quantities
 * are in bits unless `unit: "nats"` is asked for. Formulas and papers: docs/estimators.md.
 *
 * Discrete columns are Int32Array codes (`encodeValues`); a list of columns is one joint variable:
 * `conditionalMutualInformation([x], [y], [z1, z2], { estimator: "miller-madow" })`.
 *
 * Resampling signatures:
 * - `bootstrap(statistic, { n, groups?, resamples, level, rng })` -> `{ ci, se, replicates }`;
 *   `statistic(rows)` gets the row indices of one resample (whole groups when `groups` is given);
 *   gather columns with `takeRows(column, rows)`.
 * - `permutationTest(statistic, { n, permutations, strata?, rng, sequential? })` -> `{ observed,
 *   pValue, nullMean, nullSd, permutations }`; `statistic(order)` gets a permutation (row i takes X
 *   from row order[i]), restricted to rows of the same stratum when `strata` is given;
 *   p = (1 + #{null >= obs}) / (B + 1), or h / l when `sequential: { alpha }` stopped it after l.
 * - `contingencyPermutationTest(x, y, strata, { permutations, rng, sequential?, unit? })`: the
 *   same test for the plug-in I(X;Y|Z) of code columns, fast (count tables, batched draws).
 * - `informationPermutationTest(x, y, z, { permutations, rng, estimator?, ... })`: the same for
 *   discrete I(X;Y) (z empty) or I(X;Y|Z), permuting X within the strata of Z.
 */

export type { ContingencyPermutationOptions } from "./contingency-test.js";
export { contingencyPermutationTest } from "./contingency-test.js";
export { logCount, xlnx } from "./count-logs.js";
export type { ClippedInformation, EntropyOptions } from "./discrete.js";
export {
  clipInformation,
  conditionalEntropy,
  conditionalMutualInformation,
  jointEntropy,
  mutualInformation,
} from "./discrete.js";
export { codeCardinality, countCodes, encodeValues, jointCodes } from "./encode.js";
export type { CountsEntropyOptions, DiscreteEstimator } from "./entropy.js";
export { binaryEntropy, DISCRETE_ESTIMATORS, entropyFromCounts, isDiscreteEstimator } from "./entropy.js";
export { digamma, lgamma, trigamma } from "./entropy-special.js";
export type { KdTreeOptions, Neighbors, Norm } from "./kdtree.js";
export { KdTree } from "./kdtree.js";
export type { FrenzelPompeOptions } from "./knn-cmi.js";
export { frenzelPompeCMI } from "./knn-cmi.js";
export type { KlEntropyOptions } from "./knn-entropy.js";
export { klEntropy } from "./knn-entropy.js";
export type { KnnOptions, KnnPreprocessOptions, KnnTransform } from "./knn-input.js";
export { DEFAULT_JITTER, DEFAULT_K, KNN_TRANSFORMS } from "./knn-input.js";
export type { KsgOptions } from "./knn-ksg.js";
export { ksgMutualInformation } from "./knn-ksg.js";
export type { MixedOptions } from "./knn-mixed.js";
export { mixedMutualInformation } from "./knn-mixed.js";
export type {
  BootstrapOptions,
  BootstrapResult,
  InformationPermutationOptions,
  PermutationOptions,
  PermutationResult,
  SequentialOptions,
} from "./resample.js";
export {
  bootstrap,
  informationPermutationTest,
  permutationTest,
  sortedQuantile,
  takeRows,
} from "./resample.js";
export type { Rng } from "./rng.js";
export { createRng } from "./rng.js";
export type { Unit } from "./units.js";
export { convertNats, toNats, UNITS } from "./units.js";
