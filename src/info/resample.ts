/**
 * Resampling for uncertainty: percentile bootstrap intervals that resample whole groups (e.g.
 * prompts, the independent unit) when a group column is given, and permutation tests of I > 0
 * that permute X (within strata of Z for conditional MI). All randomness comes from the Rng passed in.
 */
import { OpenloopError } from "../errors.js";
import { conditionalMutualInformation, type EntropyOptions } from "./discrete.js";
import { densePairCodes, jointCodes } from "./encode.js";
import type { Rng } from "./rng.js";

/** Options of `bootstrap`. */
export interface BootstrapOptions {
  /** Number of rows of the data the statistic is computed on. */
  n: number;
  /** Group code of each row (length n); when given, groups are resampled, not rows. */
  groups?: Int32Array;
  /** Number of bootstrap replicates (>= 2). */
  resamples: number;
  /** Confidence level of the interval, in (0, 1), e.g. 0.95. */
  level: number;
  /** The random source. */
  rng: Rng;
}

/** A bootstrap result: the percentile interval and the standard deviation of the replicates. */
export interface BootstrapResult {
  ci: [number, number];
  se: number;
  /** The replicate values in the order drawn. */
  replicates: Float64Array;
}

/** Rows grouped by a code column: the rows of group g are rows[start[g]..start[g+1]). */
interface Grouping {
  start: Int32Array;
  rows: Int32Array;
}

function groupRows(groups: Int32Array): Grouping {
  const { codes, cardinality } = densePairCodes(groups, null);
  const start = new Int32Array(cardinality + 1);
  for (let i = 0; i < codes.length; i++) start[codes[i] + 1]++;
  for (let g = 0; g < cardinality; g++) start[g + 1] += start[g];
  const fill = start.slice(0, cardinality);
  const rows = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) rows[fill[codes[i]]++] = i;
  return { start, rows };
}

/** The linear-interpolation (type 7) quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function standardDeviation(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / (values.length - 1));
}

/**
 * Percentile bootstrap of `statistic`, which receives the row indices of one resample (rows may
 * repeat). Without `groups`, n rows are drawn with replacement; with `groups`, as many groups as
 * there are distinct groups are drawn with replacement and all rows of each drawn group are taken,
 * so the group (e.g. the prompt) is the independent unit. Throws if a replicate is not finite.
 * @example
 * const rng = createRng(1);
 * bootstrap((rows) => mutualInformation([takeRows(x, rows)], [takeRows(y, rows)]),
 *   { n: x.length, groups: prompt, resamples: 1000, level: 0.95, rng });
 */
export function bootstrap(
  statistic: (rows: Int32Array) => number,
  options: BootstrapOptions,
): BootstrapResult {
  const { n, groups, resamples, level, rng } = options;
  if (!(Number.isInteger(n) && n > 0))
    throw new OpenloopError("usage", `bootstrap needs n >= 1 rows, got ${n}`);
  if (!(Number.isInteger(resamples) && resamples >= 2)) {
    throw new OpenloopError("usage", `bootstrap needs at least 2 resamples, got ${resamples}`);
  }
  if (!(level > 0 && level < 1))
    throw new OpenloopError("usage", `confidence level must be in (0, 1), got ${level}`);
  if (groups !== undefined && groups.length !== n) {
    throw new OpenloopError("input", `group column has ${groups.length} rows, expected ${n}`);
  }
  const grouping = groups === undefined ? undefined : groupRows(groups);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const rows = grouping === undefined ? resampleRows(n, rng) : resampleGroups(grouping, rng);
    const value = statistic(rows);
    if (!Number.isFinite(value)) {
      throw new OpenloopError("estimator", `bootstrap replicate ${r + 1} gave a non-finite value (${value})`);
    }
    replicates[r] = value;
  }
  const sorted = replicates.slice().sort();
  const alpha = (1 - level) / 2;
  return {
    ci: [quantile(sorted, alpha), quantile(sorted, 1 - alpha)],
    se: standardDeviation(replicates),
    replicates,
  };
}

function resampleRows(n: number, rng: Rng): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = rng.int(n);
  return rows;
}

function resampleGroups({ start, rows }: Grouping, rng: Rng): Int32Array {
  const count = start.length - 1;
  const drawn = new Int32Array(count);
  let size = 0;
  for (let j = 0; j < count; j++) {
    const g = rng.int(count);
    drawn[j] = g;
    size += start[g + 1] - start[g];
  }
  const out = new Int32Array(size);
  let k = 0;
  for (let j = 0; j < count; j++) {
    const g = drawn[j];
    out.set(rows.subarray(start[g], start[g + 1]), k);
    k += start[g + 1] - start[g];
  }
  return out;
}

/** The values of `column` at `rows` (a resample or a permutation). */
export function takeRows(column: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]];
  return out;
}

/** Options of `permutationTest`. */
export interface PermutationOptions {
  /** Number of rows. */
  n: number;
  /** Number of random permutations B (>= 1). */
  permutations: number;
  /** Stratum code of each row (length n): rows are permuted only within their stratum. */
  strata?: Int32Array;
  /** The random source. */
  rng: Rng;
}

/** A permutation test result. */
export interface PermutationResult {
  /** The statistic on the data as observed (identity order). */
  observed: number;
  /** (1 + #{null >= observed}) / (B + 1): never 0, valid at any B. */
  pValue: number;
  /** Mean of the statistic under the permutation null: its bias, to subtract if wanted. */
  nullMean: number;
  /** Standard deviation of the permutation null. */
  nullSd: number;
}

/**
 * One-sided permutation test of "the statistic is larger than by chance". `statistic` receives a
 * row order: a permutation p of 0..n-1 meaning "row i takes X from row p[i]" (identity for the
 * observed value). With `strata`, p only maps rows to rows of the same stratum (conditional
 * independence test of X and Y given Z). A null value counts as "at least as large" when it is
 * >= observed - 1e-12 (1 + |observed|), so exact ties computed in floating point count as ties.
 */
export function permutationTest(
  statistic: (order: Int32Array) => number,
  options: PermutationOptions,
): PermutationResult {
  const { n, permutations, strata, rng } = options;
  if (!(Number.isInteger(n) && n > 0))
    throw new OpenloopError("usage", `permutationTest needs n >= 1, got ${n}`);
  if (!(Number.isInteger(permutations) && permutations >= 1)) {
    throw new OpenloopError("usage", `permutations must be a positive integer, got ${permutations}`);
  }
  if (strata !== undefined && strata.length !== n) {
    throw new OpenloopError("input", `strata column has ${strata.length} rows, expected ${n}`);
  }
  const grouping = groupRows(strata ?? new Int32Array(n));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const observed = statistic(order);
  const tolerance = 1e-12 * (1 + Math.abs(observed));
  const shuffled = new Int32Array(grouping.rows);
  let atLeast = 0;
  let sum = 0;
  let sumSq = 0;
  for (let b = 0; b < permutations; b++) {
    for (let g = 0; g + 1 < grouping.start.length; g++) {
      const lo = grouping.start[g];
      for (let i = grouping.start[g + 1] - 1; i > lo; i--) {
        const j = lo + rng.int(i - lo + 1);
        const t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
    }
    for (let i = 0; i < n; i++) order[grouping.rows[i]] = shuffled[i];
    const value = statistic(order);
    if (value >= observed - tolerance) atLeast++;
    sum += value;
    sumSq += value * value;
  }
  const nullMean = sum / permutations;
  const variance = permutations > 1 ? (sumSq - permutations * nullMean * nullMean) / (permutations - 1) : 0;
  return {
    observed,
    pValue: (atLeast + 1) / (permutations + 1),
    nullMean,
    nullSd: Math.sqrt(Math.max(variance, 0)),
  };
}

/** Options of `informationPermutationTest`. */
export interface InformationPermutationOptions extends EntropyOptions {
  permutations: number;
  rng: Rng;
}

/**
 * Permutation test of I(X;Y) > 0 (z empty) or I(X;Y|Z) > 0 for discrete code columns: X is
 * permuted across all rows, or within the strata of the joint Z, and the estimator of `options`
 * is recomputed for each permutation.
 * @example informationPermutationTest([x], [y], [z], { permutations: 999, rng: createRng(7) })
 */
export function informationPermutationTest(
  x: Int32Array[],
  y: Int32Array[],
  z: Int32Array[],
  options: InformationPermutationOptions,
): PermutationResult {
  if (x.length === 0) throw new OpenloopError("usage", "the permutation test needs at least one x column");
  const n = x[0].length;
  const strata = z.length === 0 ? undefined : jointCodes(z).codes;
  const permuted = x.map(() => new Int32Array(n));
  return permutationTest(
    (order) => {
      for (let c = 0; c < x.length; c++) {
        const source = x[c];
        const target = permuted[c];
        for (let i = 0; i < n; i++) target[i] = source[order[i]];
      }
      return conditionalMutualInformation(permuted, y, z, options);
    },
    { n, permutations: options.permutations, strata, rng: options.rng },
  );
}
