/**
 * Discrete entropy from counts: one entry point, `entropyFromCounts`, dispatching to the seven
 * named estimators, plus the closed-form binary entropy. Estimators compute in nats; the unit
 * conversion happens once here.
 */
import { OpenloopError } from "../errors.js";
import {
  grassbergerEntropy,
  jackknifeEntropy,
  millerMadowEntropy,
  pluginEntropy,
} from "./entropy-classic.js";
import { chaoShenEntropy } from "./entropy-coverage.js";
import { nsbEntropy } from "./entropy-nsb.js";
import { jamesSteinEntropy } from "./entropy-shrink.js";
import { convertNats, type Unit } from "./units.js";

/** The discrete entropy estimators, named as on the command line. */
export type DiscreteEstimator =
  | "plugin"
  | "miller-madow"
  | "chao-shen"
  | "james-stein"
  | "nsb"
  | "grassberger"
  | "jackknife";

/** All discrete estimators, in documentation order. */
export const DISCRETE_ESTIMATORS: readonly DiscreteEstimator[] = [
  "plugin",
  "miller-madow",
  "chao-shen",
  "james-stein",
  "nsb",
  "grassberger",
  "jackknife",
];

/** Options of `entropyFromCounts`. */
export interface CountsEntropyOptions {
  /** The estimator; default `plugin`. */
  estimator?: DiscreteEstimator;
  /** The unit of the result; default `bits`. */
  unit?: Unit;
  /**
   * The alphabet size K (number of possible values), at least the length of `counts`. Used by
   * `james-stein` (shrinkage target 1/K; default K = counts.length, zeros included, as in the
   * R `entropy` package) and `nsb` (default: K unknown, see docs/estimators.md).
   */
  alphabetSize?: number;
}

const INTEGER_ESTIMATORS = new Set<DiscreteEstimator>(["chao-shen", "nsb", "grassberger", "jackknife"]);

/** True when `name` is one of the discrete estimators. */
export function isDiscreteEstimator(name: string): name is DiscreteEstimator {
  return (DISCRETE_ESTIMATORS as readonly string[]).includes(name);
}

/**
 * Estimates the entropy of a discrete distribution from its counts (zeros allowed and ignored,
 * except that they count toward K for `james-stein`). Throws on an empty sample, negative or
 * non-finite counts, and non-integer counts for estimators that need integers.
 * @example entropyFromCounts([1, 1]) // 1 (bit)
 * @example entropyFromCounts([4, 2, 1], { estimator: "miller-madow", unit: "nats" })
 */
export function entropyFromCounts(counts: ArrayLike<number>, options: CountsEntropyOptions = {}): number {
  const estimator = options.estimator ?? "plugin";
  const unit = options.unit ?? "bits";
  if (!isDiscreteEstimator(estimator)) {
    throw new OpenloopError("estimator", `unknown discrete estimator '${estimator}'`, {
      hint: `choose one of ${DISCRETE_ESTIMATORS.join(", ")}`,
    });
  }
  const needsInteger = INTEGER_ESTIMATORS.has(estimator);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!(c >= 0) || c === Number.POSITIVE_INFINITY) {
      throw new OpenloopError("input", `counts must be finite and non-negative, found ${c}`);
    }
    if (needsInteger && !Number.isInteger(c)) {
      throw new OpenloopError("input", `estimator '${estimator}' needs integer counts, found ${c}`);
    }
    total += c;
  }
  if (total === 0) {
    throw new OpenloopError("input", "cannot estimate an entropy from an empty sample (all counts are zero)");
  }
  const alphabetSize = options.alphabetSize;
  if (alphabetSize !== undefined && !(Number.isInteger(alphabetSize) && alphabetSize >= counts.length)) {
    throw new OpenloopError(
      "usage",
      `alphabetSize must be an integer >= the number of count bins (${counts.length}), got ${alphabetSize}`,
    );
  }
  return convertNats(entropyNats(counts, total, estimator, alphabetSize), unit);
}

function entropyNats(
  counts: ArrayLike<number>,
  total: number,
  estimator: DiscreteEstimator,
  alphabetSize: number | undefined,
): number {
  switch (estimator) {
    case "plugin":
      return pluginEntropy(counts, total);
    case "miller-madow":
      return millerMadowEntropy(counts, total);
    case "chao-shen":
      return chaoShenEntropy(counts, total);
    case "james-stein":
      return jamesSteinEntropy(counts, total, alphabetSize ?? counts.length);
    case "nsb":
      return nsbEntropy(counts, alphabetSize);
    case "grassberger":
      return grassbergerEntropy(counts, total);
    case "jackknife":
      return jackknifeEntropy(counts, total);
  }
}

/**
 * The entropy of a Bernoulli(p) variable, -p log p - (1-p) log(1-p); 0 at p = 0 and p = 1.
 * @example binaryEntropy(0.5) // 1
 */
export function binaryEntropy(p: number, unit: Unit = "bits"): number {
  if (!(p >= 0 && p <= 1)) {
    throw new OpenloopError("usage", `binaryEntropy needs a probability in [0, 1], got ${p}`);
  }
  if (p === 0 || p === 1) return 0;
  return convertNats(-p * Math.log(p) - (1 - p) * Math.log1p(-p), unit);
}
