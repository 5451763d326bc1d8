/**
 * Resampling for uncertainty: percentile bootstrap intervals that resample whole groups (e.g.
 * prompts, the independent unit) when a group column is given, and permutation tests of I > 0
 * that permute X (within strata of Z for conditional MI), optionally sequential (stopping once
 * the p-value is sure to exceed a level). The fast test on count tables is in
 * contingency-test.ts. All randomness comes from the Rng passed in.
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
export interface Grouping {
  start: Int32Array;
  rows: Int32Array;
}

/** Rows grouped by their code (`sortedRuns` when the codes come in runs). */
export function groupRows(groups: Int32Array): Grouping {
  const runs = sortedRuns(groups);
  if (runs !== undefined) return runs;
  const { codes, cardinality } = densePairCodes(groups, null);
  const start = new Int32Array(cardinality + 1);
  for (let i = 0; i < codes.length; i++) start[codes[i] + 1]++;
  for (let g = 0; g < cardinality; g++) start[g + 1] += start[g];
  const fill = start.slice(0, cardinality);
  const rows = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) rows[fill[codes[i]]++] = i;
  return { start, rows };
}

/** The grouping of a column whose equal codes are contiguous runs (e.g. sorted), else undefined. */
function sortedRuns(groups: Int32Array): Grouping | undefined {
  const runs = countRuns(groups);
  if (runs < 0) return undefined;
  const grouping = { start: new Int32Array(runs + 1), rows: new Int32Array(groups.length) };
  fillRuns(groups, grouping.start, grouping.rows);
  return grouping;
}

// Loops live in small functions with nothing after them: one optimised compile serves every call.

/** The number of runs of equal codes, or -1 when a code is below the one before it. */
function countRuns(groups: Int32Array): number {
  let runs = groups.length > 0 ? 1 : 0;
  for (let i = 1; i < groups.length && runs > 0; i++) {
    if (groups[i] < groups[i - 1]) runs = -1;
    else if (groups[i] !== groups[i - 1]) runs++;
  }
  return runs;
}

function fillRuns(groups: Int32Array, start: Int32Array, rows: Int32Array): void {
  const n = groups.length;
  start[start.length - 1] = n;
  for (let i = 0, r = 0; i < n; i++) {
    rows[i] = i;
    if (i > 0 && groups[i] !== groups[i - 1]) start[++r] = i;
  }
}

/**
 * The linear-interpolation (type 7, R's and numpy's default) quantile q of ascending values.
 * @example sortedQuantile(Float64Array.of(1, 2, 4), 0.75) // 3
 */
export function sortedQuantile(sorted: Float64Array, q: number): number {
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
    ci: [sortedQuantile(sorted, alpha), sortedQuantile(sorted, 1 - alpha)],
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

/** Sequential Monte Carlo stopping of a permutation test (Besag & Clifford 1991). */
export interface SequentialOptions {
  /**
   * The level the p-value is compared with. The test stops once h = floor(alpha B) + 1 null
   * values were at least the observed one, reporting p = h / l after l permutations; such a p
   * (and the fixed-B p-value of the same draws) is above alpha, so "p <= alpha" is decided
   * exactly as with all B permutations.
   */
  alpha: number;
}

/** Options of `permutationTest`. */
export interface PermutationOptions {
  /** Number of rows. */
  n: number;
  /** Number of random permutations B (>= 1); the most run when `sequential` is given. */
  permutations: number;
  /** Stratum code of each row (length n): rows are permuted only within their stratum. */
  strata?: Int32Array;
  /** The random source. */
  rng: Rng;
  /** Stop early once the p-value is sure to be above `alpha` (default: run all B). */
  sequential?: SequentialOptions;
}

/** A permutation test result. */
export interface PermutationResult {
  /** The statistic on the data as observed (identity order). */
  observed: number;
  /**
   * (1 + #{null >= observed}) / (B + 1): never 0, valid at any B; h / l when a sequential test
   * stopped after l permutations.
   */
  pValue: number;
  /** Mean of the statistic under the permutation null (over the permutations run): its bias. */
  nullMean: number;
  /** Standard deviation of the permutation null (over the permutations run). */
  nullSd: number;
  /** Permutations run: B, or fewer when a sequential test stopped early. */
  permutations: number;
}

/**
 * The number of exceedances h after which a sequential test at level alpha with at most B
 * permutations stops: the least h with h / B > alpha, so a stopped test (p = h / l, l <= B) and
 * the fixed-B test on the same draws (p >= (h + 1) / (B + 1)) are both above alpha.
 */
export function sequentialStop(alpha: number, permutations: number): number {
  if (!(alpha > 0 && alpha <= 1)) {
    throw new OpenloopError("usage", `the sequential test's alpha must be in (0, 1], got ${alpha}`);
  }
  return Math.floor(alpha * permutations) + 1;
}

/** Throws unless `permutations` is a positive integer. */
export function checkPermutations(permutations: number): void {
  if (!(Number.isInteger(permutations) && permutations >= 1)) {
    throw new OpenloopError("usage", `permutations must be a positive integer, got ${permutations}`);
  }
}

/** The running tally of null values of one test, with its stopping rule. */
export class NullTally {
  private atLeast = 0;
  private sum = 0;
  private sumSq = 0;
  private count = 0;
  private readonly threshold: number;
  private readonly stopAt: number;

  /** Sums are of value - center (center near the null's values keeps the variance accurate). */
  constructor(
    private readonly observed: number,
    private readonly permutations: number,
    sequential: SequentialOptions | undefined,
    private readonly center = 0,
  ) {
    this.threshold = observed - 1e-12 * (1 + Math.abs(observed));
    this.stopAt =
      sequential === undefined ? Number.POSITIVE_INFINITY : sequentialStop(sequential.alpha, permutations);
  }

  /** Adds one null value; true when the test stops here. */
  add(value: number): boolean {
    if (value >= this.threshold) this.atLeast++;
    const d = value - this.center;
    this.sum += d;
    this.sumSq += d * d;
    this.count++;
    return this.atLeast >= this.stopAt;
  }

  /** The result, with the null's mean and sd mapped through value -> (value + shift) * scale. */
  result(shift = 0, scale = 1): PermutationResult {
    const b = this.count;
    const meanOff = this.sum / b;
    const variance = b > 1 ? (this.sumSq - b * meanOff * meanOff) / (b - 1) : 0;
    const stopped = this.atLeast >= this.stopAt;
    return {
      observed: (this.observed + shift) * scale,
      pValue: stopped ? this.stopAt / b : (this.atLeast + 1) / (this.permutations + 1),
      nullMean: (this.center + meanOff + shift) * scale,
      nullSd: Math.sqrt(Math.max(variance, 0)) * scale,
      permutations: b,
    };
  }
}

/**
 * One-sided permutation test of "the statistic is larger than by chance". `statistic` receives a
 * row order: a permutation p of 0..n-1 meaning "row i takes X from row p[i]" (identity for the
 * observed value). With `strata`, p only maps rows to rows of the same stratum (conditional
 * independence test of X and Y given Z). A null value counts as "at least as large" when it is
 * >= observed - 1e-12 (1 + |observed|), so exact ties computed in floating point count as ties.
 * With `sequential`, the test stops early (Besag & Clifford 1991; see `sequentialStop`); when it
 * does not stop, the result equals the fixed-B test's on the same draws.
 */
export function permutationTest(
  statistic: (order: Int32Array) => number,
  options: PermutationOptions,
): PermutationResult {
  const { n, permutations, strata, rng } = options;
  if (!(Number.isInteger(n) && n > 0))
    throw new OpenloopError("usage", `permutationTest needs n >= 1, got ${n}`);
  checkPermutations(permutations);
  if (strata !== undefined && strata.length !== n) {
    throw new OpenloopError("input", `strata column has ${strata.length} rows, expected ${n}`);
  }
  const grouping = groupRows(strata ?? new Int32Array(n));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const tally = new NullTally(statistic(order), permutations, options.sequential);
  const shuffled = new Int32Array(grouping.rows);
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
    if (tally.add(statistic(order))) break;
  }
  return tally.result();
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
