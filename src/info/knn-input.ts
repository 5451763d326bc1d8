/**
 * Input handling shared by the kNN estimators: validating the columns of each variable and k,
 * the optional per-column transform (standardise, or ranks for exact invariance to monotone
 * maps), the optional seeded jitter that breaks ties the way Kraskov et al. (2004) do, and
 * packing columns into the row-major layout the neighbour indexes use.
 */
import { OpenloopError } from "../errors.js";
import { sortOrder } from "./knn-line.js";
import { createRng, type Rng } from "./rng.js";
import { convertNats, UNITS, type Unit } from "./units.js";

/**
 * Per-column preprocessing before distances are taken: `none` (the raw values), `standardize`
 * (divide by the population standard deviation, as scikit-learn does), `rank` (replace each value by its
 * rank, ties sharing their mean rank; makes the estimate exactly invariant to strictly
 * increasing transforms of each column).
 */
export type KnnTransform = "none" | "standardize" | "rank";

/** The transforms, in display order. */
export const KNN_TRANSFORMS: readonly KnnTransform[] = ["none", "standardize", "rank"];

/** Default number of neighbours of every kNN estimator. */
export const DEFAULT_K = 3;

/** Default relative jitter amplitude of the continuous estimators (KL, KSG, Frenzel-Pompe). */
export const DEFAULT_JITTER = 1e-10;

/** Options every kNN estimator takes. */
export interface KnnOptions {
  /** Number of neighbours (default 3); must be below N. */
  k?: number;
  /** Unit of the result (default bits). */
  unit?: Unit;
}

/** Preprocessing options of the estimators whose input is meant to be continuous. */
export interface KnnPreprocessOptions {
  /** Per-column transform before distances are taken (default `none`). */
  transform?: KnnTransform;
  /**
   * Relative amplitude of the tie-breaking noise added to each column, in units of the column's
   * standard deviation (floored at 1e-5 of its mean absolute value; 0 turns it off). Drawn from
   * `createRng(seed)`.
   */
  jitter?: number;
  /** Seed of the jitter (default 0): same seed, same estimate. */
  seed?: number;
}

/** A validated, preprocessed variable: its columns and their row-major packing. */
export interface KnnVariable {
  dim: number;
  columns: Float64Array[];
  rows: Float64Array;
}

/**
 * Validates and preprocesses the variables of one estimate, in order: every column finite and of
 * the same length, k < N, then `transform`, then jitter (columns drawn in order from one seeded
 * generator). Returns the variables and N.
 */
export function prepareVariables(
  named: readonly [string, readonly ArrayLike<number>[]][],
  k: number,
  preprocess: { transform: KnnTransform; jitter: number; seed: number },
): { n: number; variables: KnnVariable[] } {
  checkJitter(preprocess.jitter);
  const first = readVariable(named[0][0], named[0][1]);
  const n = first[0].length;
  const all = [first, ...named.slice(1).map(([name, columns]) => readVariable(name, columns, n))];
  checkK(k, n);
  const rng = preprocess.jitter > 0 ? createRng(preprocess.seed) : undefined;
  for (const columns of all) {
    transformColumns(columns, preprocess.transform);
    if (rng) jitterColumns(columns, preprocess.jitter, rng);
  }
  return { n, variables: all.map(asVariable) };
}

/**
 * Throws when some k-th neighbour distance is 0 (duplicated points): the continuous estimators
 * are undefined there. With the default jitter this does not happen in practice.
 */
export function checkNoZeroDistance(distances: Float64Array, k: number, estimator: string): void {
  let zeros = 0;
  for (let i = 0; i < distances.length; i++) if (distances[i] === 0) zeros++;
  if (zeros > 0) {
    throw new OpenloopError(
      "estimator",
      `${estimator}: ${zeros} of ${distances.length} points have their k-th (k = ${k}) nearest neighbour at distance 0 (duplicated values), where the estimator is undefined`,
      { hint: "keep the default jitter, or use the mixed estimator for data with repeated values" },
    );
  }
}

/** Validates `unit` (default bits) and converts a value in nats to it. */
export function inUnit(valueInNats: number, unit: Unit = "bits"): number {
  if (!UNITS.includes(unit)) {
    throw new OpenloopError(
      "estimator",
      `unknown unit '${String(unit)}': expected one of ${UNITS.join(", ")}`,
    );
  }
  return convertNats(valueInNats, unit);
}

/** Validates k against N: a positive integer below N. */
export function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new OpenloopError("estimator", `k must be a positive integer, got ${k}`);
  }
  if (k >= n) {
    throw new OpenloopError(
      "estimator",
      `k = ${k} needs more samples: kNN estimators need k < N, and N = ${n}`,
      { hint: "lower --k or provide more rows" },
    );
  }
}

/** Validates a jitter amplitude: a finite number >= 0. */
export function checkJitter(jitter: number): void {
  if (!Number.isFinite(jitter) || jitter < 0) {
    throw new OpenloopError("estimator", `jitter must be a finite number >= 0, got ${jitter}`);
  }
}

/**
 * Copies and validates the columns of a variable named `name` ("x", "y", "z"): at least one
 * column, all of length `n` (or the first column's length), every value finite.
 */
export function readVariable(
  name: string,
  columns: readonly ArrayLike<number>[],
  n?: number,
): Float64Array[] {
  if (ArrayBuffer.isView(columns) || (Array.isArray(columns) && typeof columns[0] === "number")) {
    throw new OpenloopError(
      "input",
      `${name} must be an array of columns (one per dimension), e.g. [values], not the values themselves`,
    );
  }
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new OpenloopError("input", `${name} needs at least one column`);
  }
  const length = n ?? columns[0].length;
  if (length === 0) throw new OpenloopError("input", `${name} has no rows: kNN estimators need data`);
  return columns.map((column, c) => {
    if (column.length !== length) {
      throw new OpenloopError(
        "input",
        `${name} column ${c + 1} has ${column.length} rows but ${length} were expected: all columns must have the same number of rows`,
      );
    }
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const v = column[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new OpenloopError(
          "input",
          `${name} column ${c + 1} row ${i + 1} is ${String(v)}: kNN estimators need finite numbers`,
        );
      }
      out[i] = v;
    }
    return out;
  });
}

/** Applies `transform` to each column in place. */
export function transformColumns(columns: Float64Array[], transform: KnnTransform): void {
  if (!KNN_TRANSFORMS.includes(transform)) {
    throw new OpenloopError(
      "estimator",
      `unknown transform '${String(transform)}': expected one of ${KNN_TRANSFORMS.join(", ")}`,
    );
  }
  if (transform === "none") return;
  for (const column of columns) {
    if (transform === "rank") rankInPlace(column);
    else {
      const sd = standardDeviation(column);
      if (sd > 0) for (let i = 0; i < column.length; i++) column[i] /= sd;
    }
  }
}

/**
 * Adds `amplitude * scale * N(0,1)` noise to each value, where `scale` is the column's standard
 * deviation, floored at 1e-5 of its mean absolute value (1 if both are 0). The floor keeps the
 * default noise at least 1e-15 of the typical magnitude (about 5 rounding steps), so it does not
 * vanish in columns with a large offset and a small spread (timestamps, say). Columns are drawn
 * in order from `rng`.
 */
export function jitterColumns(columns: Float64Array[], amplitude: number, rng: Rng): void {
  if (amplitude === 0) return;
  for (const column of columns) {
    let meanAbs = 0;
    for (let i = 0; i < column.length; i++) meanAbs += Math.abs(column[i]);
    meanAbs /= column.length;
    const scale = Math.max(standardDeviation(column), 1e-5 * meanAbs) || 1;
    const a = amplitude * scale;
    for (let i = 0; i < column.length; i++) column[i] += a * rng.normal();
  }
}

/** Packs columns into one row-major Float64Array. */
export function packRows(columns: Float64Array[]): Float64Array {
  const dim = columns.length;
  const n = columns[0].length;
  const rows = new Float64Array(n * dim);
  for (let c = 0; c < dim; c++) {
    const column = columns[c];
    for (let i = 0; i < n; i++) rows[i * dim + c] = column[i];
  }
  return rows;
}

/** Wraps columns as a variable. */
export function asVariable(columns: Float64Array[]): KnnVariable {
  return { dim: columns.length, columns, rows: packRows(columns) };
}

function standardDeviation(column: Float64Array): number {
  const n = column.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += column[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = column[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

function rankInPlace(column: Float64Array): void {
  const n = column.length;
  const order = sortOrder(column);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && column[order[j]] === column[order[i]]) j++;
    const mean = (i + j - 1) / 2 + 1;
    for (let t = i; t < j; t++) ranks[order[t]] = mean;
    i = j;
  }
  column.set(ranks);
}
