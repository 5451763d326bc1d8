/**
 * Resampling for uncertainty: percentile bootstrap intervals that resample whole groups (e.g.
 * prompts, the independent unit) when a group column is given, and permutation tests of I > 0
 * that permute X (within strata of Z for conditional MI), optionally sequential (stopping once
 * the p-value is sure to exceed a level). All randomness comes from the Rng passed in.
 */
import { OpenloopError } from "../errors.js";
import { conditionalMutualInformation, type EntropyOptions } from "./discrete.js";
import { densePairCodes, jointCodes } from "./encode.js";
import type { Rng } from "./rng.js";
import { convertNats, type Unit } from "./units.js";

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

/** Dense codes 0..K-1 of a code column: the column itself when its codes are small and >= 0. */
function denseCodes(codes: Int32Array): { codes: Int32Array; cardinality: number } {
  let min = 0;
  let max = -1;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < min) min = codes[i];
    if (codes[i] > max) max = codes[i];
  }
  return min === 0 && max < 2 * codes.length + 1024
    ? { codes, cardinality: max + 1 }
    : densePairCodes(codes, null);
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

function checkPermutations(permutations: number): void {
  if (!(Number.isInteger(permutations) && permutations >= 1)) {
    throw new OpenloopError("usage", `permutations must be a positive integer, got ${permutations}`);
  }
}

/** The running tally of null values of one test, with its stopping rule. */
class NullTally {
  private atLeast = 0;
  private sum = 0;
  private sumSq = 0;
  private count = 0;
  private readonly threshold: number;
  private readonly stopAt: number;

  constructor(
    private readonly observed: number,
    private readonly permutations: number,
    sequential: SequentialOptions | undefined,
  ) {
    this.threshold = observed - 1e-12 * (1 + Math.abs(observed));
    this.stopAt =
      sequential === undefined ? Number.POSITIVE_INFINITY : sequentialStop(sequential.alpha, permutations);
  }

  /** Adds one null value; true when the test stops here. */
  add(value: number): boolean {
    if (value >= this.threshold) this.atLeast++;
    this.sum += value;
    this.sumSq += value * value;
    this.count++;
    return this.atLeast >= this.stopAt;
  }

  /** The result, with the null's mean and sd mapped through value -> (value + shift) * scale. */
  result(shift = 0, scale = 1): PermutationResult {
    const b = this.count;
    const nullMean = this.sum / b;
    const variance = b > 1 ? (this.sumSq - b * nullMean * nullMean) / (b - 1) : 0;
    const stopped = this.atLeast >= this.stopAt;
    return {
      observed: (this.observed + shift) * scale,
      pValue: stopped ? this.stopAt / b : (this.atLeast + 1) / (this.permutations + 1),
      nullMean: (nullMean + shift) * scale,
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

/** Options of `contingencyPermutationTest`. */
export interface ContingencyPermutationOptions {
  /** Number of random permutations B (>= 1); the most run when `sequential` is given. */
  permutations: number;
  /** The random source. */
  rng: Rng;
  /** Stop early once the p-value is sure to be above `alpha` (default: run all B). */
  sequential?: SequentialOptions;
  /** Unit of `observed`, `nullMean` and `nullSd` (default bits). */
  unit?: Unit;
}

/** Most cells one stratum's contingency table may have. */
const MAX_STRATUM_CELLS = 1 << 24;
/** Strata are counted in blocks whose tables together have at most this many cells. */
const BLOCK_CELLS = 1 << 20;
/** Mixed-radix batches of Fisher-Yates draws multiply to at most this (rng.int's exact range). */
const BATCH_RANGE = 2 ** 31;

/** The rows of the strata whose table can change under permutation, with stratum-local codes. */
interface LocalTables {
  /** per kept row: its stratum's table offset in its block plus local x code times y levels */
  xBase: Int32Array;
  /** per kept row: local y code (the column that is permuted) */
  y: Int32Array;
  /** kept rows of kept stratum k: start[k]..start[k+1] */
  start: Int32Array;
  /** kept rows of block b: blockStart[b]..blockStart[b+1] */
  blockStart: Int32Array;
  /** number of kept rows, kept strata and blocks */
  rows: number;
  strata: number;
  blocks: number;
  /** the most cells of a block */
  blockCells: number;
  /** Σ_strata [Σ_x n_x ln n_x + Σ_y n_y ln n_y - n ln n] over the strata where X and Y vary */
  constant: number;
  /** the largest stratum kept */
  maxRows: number;
}

/**
 * Numbers the levels of `codes` at rows[lo..hi) 0, 1, ... in order of appearance (`local`, -1
 * where unseen, is set for them), counts them in `count`, and returns how many there are.
 */
function localLevels(
  codes: Int32Array,
  rows: Int32Array,
  lo: number,
  hi: number,
  local: Int32Array,
  count: Int32Array,
): number {
  let levels = 0;
  for (let i = lo; i < hi; i++) {
    const c = codes[rows[i]];
    if (local[c] < 0) {
      local[c] = levels;
      count[levels++] = 0;
    }
    count[local[c]]++;
  }
  return levels;
}

/** Σ x ln x over count[0..levels) (counts >= 1: positive iff a level repeats). */
function levelSums(count: Int32Array, levels: number): number {
  let sum = 0;
  for (let l = 0; l < levels; l++) sum += xlnx(count[l]);
  return sum;
}

function localTables(x: Int32Array, y: Int32Array, grouping: Grouping): LocalTables {
  const n = x.length;
  const groups = grouping.start.length - 1;
  const out: LocalTables = {
    xBase: new Int32Array(n),
    y: new Int32Array(n),
    start: new Int32Array(groups + 1),
    blockStart: new Int32Array(groups + 1),
    rows: 0,
    strata: 0,
    blocks: 0,
    blockCells: 0,
    constant: 0,
    maxRows: 0,
  };
  fillLocalTables(denseCodes(x), denseCodes(y), grouping, out);
  return out;
}

function fillLocalTables(
  dx: { codes: Int32Array; cardinality: number },
  dy: { codes: Int32Array; cardinality: number },
  grouping: Grouping,
  out: LocalTables,
): void {
  const { start: groupStart, rows } = grouping;
  const localX = new Int32Array(dx.cardinality).fill(-1);
  const localY = new Int32Array(dy.cardinality).fill(-1);
  let largest = 0;
  for (let g = 0; g + 1 < groupStart.length; g++)
    largest = Math.max(largest, groupStart[g + 1] - groupStart[g]);
  const countX = new Int32Array(largest);
  const countY = new Int32Array(largest);
  const { xBase, y: yOut, start, blockStart } = out;
  let offset = 0;
  let kept = 0;
  for (let g = 0; g + 1 < groupStart.length; g++) {
    const lo = groupStart[g];
    const hi = groupStart[g + 1];
    const kx = localLevels(dx.codes, rows, lo, hi, localX, countX);
    const ky = localLevels(dy.codes, rows, lo, hi, localY, countY);
    if (kx > 1 && ky > 1) {
      // n I(X;Y) = Σ n_xy ln n_xy - (Σ n_x ln n_x + Σ n_y ln n_y - n ln n); 0 when X or Y is constant
      const sx = levelSums(countX, kx);
      const sy = levelSums(countY, ky);
      out.constant += sx + sy - xlnx(hi - lo);
      // with no repeated value of X or Y all counts are <= 1 and Σ n_xy ln n_xy = 0 under every
      // permutation: such strata are left out (as are those with X or Y constant)
      if (sx > 0 && sy > 0) {
        const cells = kx * ky;
        if (cells > MAX_STRATUM_CELLS) throw tooManyCells(kx, ky);
        if (offset > 0 && offset + cells > BLOCK_CELLS) {
          blockStart[++out.blocks] = kept;
          offset = 0;
        }
        for (let i = lo; i < hi; i++) {
          xBase[kept] = offset + localX[dx.codes[rows[i]]] * ky;
          yOut[kept] = localY[dy.codes[rows[i]]];
          kept++;
        }
        offset += cells;
        out.blockCells = Math.max(out.blockCells, offset);
        start[++out.strata] = kept;
        out.maxRows = Math.max(out.maxRows, hi - lo);
      }
    }
    for (let i = lo; i < hi; i++) {
      localX[dx.codes[rows[i]]] = -1;
      localY[dy.codes[rows[i]]] = -1;
    }
    out.rows = kept;
    blockStart[out.blocks + 1] = kept;
  }
  out.blocks += kept > 0 ? 1 : 0;
}

function tooManyCells(kx: number, ky: number): OpenloopError {
  return new OpenloopError(
    "usage",
    `a stratum's contingency table has ${kx} x ${ky} cells, more than ${MAX_STRATUM_CELLS}`,
    { hint: "use informationPermutationTest for variables with this many levels" },
  );
}

function xlnx(v: number): number {
  return v > 0 ? v * Math.log(v) : 0;
}

/**
 * The Fisher-Yates draws of one permutation of every kept stratum (ranges m, m-1, ..., 2 per
 * stratum of m rows) in batches whose ranges multiply to at most 2^31: one rng.int(N) per batch,
 * whose mixed-radix digits are the draws (independent and uniform as N = Π ranges).
 */
function drawBatches(start: Int32Array, strata: number): { size: Float64Array; length: Int32Array } {
  const size: number[] = [];
  const length: number[] = [];
  let product = 1;
  let count = 0;
  for (let k = 0; k < strata; k++) {
    for (let range = start[k + 1] - start[k]; range >= 2; range--) {
      if (count > 0 && product * range > BATCH_RANGE) {
        size.push(product);
        length.push(count);
        product = 1;
        count = 0;
      }
      product *= range;
      count++;
    }
  }
  if (count > 0) {
    size.push(product);
    length.push(count);
  }
  return { size: Float64Array.from(size), length: Int32Array.from(length) };
}

/** Σ over the rows' cells of n ln n in fixed point (`step[c]` = Q(c + 1) - Q(c)); leaves `table` 0. */
function fixedPointTableSum(
  table: Int32Array,
  xBase: Int32Array,
  y: Int32Array,
  blockStart: Int32Array,
  blocks: number,
  step: Float64Array,
): number {
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const hi = blockStart[b + 1];
    for (let i = blockStart[b]; i < hi; i++) total += step[table[xBase[i] + y[i]]++];
    for (let i = blockStart[b]; i < hi; i++) table[xBase[i] + y[i]] = 0;
  }
  return total;
}

/**
 * One Fisher-Yates shuffle of each stratum's slice of `values`, its draws read as the mixed-radix
 * digits of `batches[b]` (uniform in 0..N_b-1), `batchLength[b]` draws each (`drawBatches`).
 */
function shuffleWithinStrata(
  values: Int32Array,
  start: Int32Array,
  strata: number,
  batches: Int32Array,
  batchLength: Int32Array,
): void {
  let batch = 0;
  let digits = 0;
  let left = 0;
  for (let k = 0; k < strata; k++) {
    const lo = start[k];
    for (let i = start[k + 1] - 1; i > lo; i--) {
      if (left === 0) {
        digits = batches[batch];
        left = batchLength[batch];
        batch++;
      }
      const range = i - lo + 1;
      // digits < 2^31: int32 division, no floating-point remainder
      const quotient = (digits / range) | 0;
      const j = lo + digits - quotient * range;
      digits = quotient;
      left--;
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}

/**
 * Permutation test of X ⊥ Y | Z for discrete code columns with the plug-in statistic
 * I(X;Y|Z) = Σ_z (n_z / n) I(X;Y | Z = z), Y permuted within the strata of Z (no strata: one
 * stratum). Equivalent in distribution to `informationPermutationTest([y], [x], [z])` with the
 * plug-in estimator, but fast: strata where X or Y is constant, or has no repeated value, add
 * the same to the statistic under every permutation and are left out of the shuffles; each
 * permutation costs O(rows) with no allocation: Σ n_xy ln n_xy is summed from integer count
 * tables in fixed point (2^-k nats, k <= 40, so the sum is exact and equal tables tie exactly),
 * and one rng call draws a batch of swaps (`drawBatches`).
 * `observed`, `nullMean` and `nullSd` are plug-in CMI values in `unit` (default bits).
 * @example contingencyPermutationTest(feature, signal, stratum, { permutations: 499, rng, sequential: { alpha: 0.025 } })
 */
export function contingencyPermutationTest(
  x: Int32Array,
  y: Int32Array,
  strata: Int32Array | undefined,
  options: ContingencyPermutationOptions,
): PermutationResult {
  const n = x.length;
  if (n === 0) throw new OpenloopError("usage", "contingencyPermutationTest needs at least one row");
  checkPermutations(options.permutations);
  if (y.length !== n || (strata !== undefined && strata.length !== n)) {
    throw new OpenloopError(
      "input",
      `x has ${n} rows, y ${y.length}${strata === undefined ? "" : `, strata ${strata.length}`}`,
    );
  }
  const local = localTables(x, y, groupRows(strata ?? new Int32Array(n)));
  const { xBase, y: permuted, start, blockStart, rows } = local;
  const table = new Int32Array(local.blockCells);
  // Σ n_xy ln n_xy in fixed point, 2^scaleBits units: integer sums, exact in any order as long as
  // they stay below 2^53, so equal tables give equal statistics
  const scaleBits = Math.min(
    40,
    Math.floor(Math.log2(2 ** 52 / (rows * Math.max(1, Math.log(local.maxRows)) + 1))),
  );
  const scale = 2 ** scaleBits;
  const step = new Float64Array(local.maxRows + 1);
  for (let v = 0; v < local.maxRows; v++)
    step[v] = Math.round(xlnx(v + 1) * scale) - Math.round(xlnx(v) * scale);
  const tableSum = () => fixedPointTableSum(table, xBase, permuted, blockStart, local.blocks, step);
  const tally = new NullTally(tableSum(), options.permutations, options.sequential);
  const batches = drawBatches(start, local.strata);
  const drawn = new Int32Array(batches.size.length);
  for (let b = 0; b < options.permutations; b++) {
    for (let d = 0; d < drawn.length; d++) drawn[d] = options.rng.int(batches.size[d]);
    shuffleWithinStrata(permuted, start, local.strata, drawn, batches.length);
    if (tally.add(tableSum())) break;
  }
  const unit = options.unit ?? "bits";
  return tally.result(-local.constant * scale, convertNats(1, unit) / (n * scale));
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
