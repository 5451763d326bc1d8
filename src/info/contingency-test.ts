/**
 * The within-strata permutation test of X ⊥ Y | Z for discrete code columns with the plug-in
 * statistic, built for speed on count tables: fixed-point Σ n ln n sums, batched Fisher-Yates
 * draws, strata whose table cannot change left out, no allocation per permutation.
 */
import { OpenloopError } from "../errors.js";
import { xlnx } from "./count-logs.js";
import { densePairCodes } from "./encode.js";
import {
  checkPermutations,
  type Grouping,
  groupRows,
  NullTally,
  type PermutationResult,
  type SequentialOptions,
} from "./resample.js";
import type { Rng } from "./rng.js";
import { convertNats, type Unit } from "./units.js";

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
  }
  out.rows = kept;
  blockStart[out.blocks + 1] = kept;
  out.blocks += kept > 0 ? 1 : 0;
}

function tooManyCells(kx: number, ky: number): OpenloopError {
  return new OpenloopError(
    "usage",
    `a stratum's contingency table has ${kx} x ${ky} cells, more than ${MAX_STRATUM_CELLS}`,
    { hint: "use informationPermutationTest for variables with this many levels" },
  );
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
 * @example
 * contingencyPermutationTest(f, s, stratum, { permutations: 499, rng, sequential: { alpha: 0.025 } })
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
  const observed = tableSum();
  const tally = new NullTally(observed, options.permutations, options.sequential, observed);
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
