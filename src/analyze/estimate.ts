/**
 * Estimates with bootstrap confidence intervals that resample prompts (the independent unit):
 * a statistic is a ratio of sums over units (prompts), so a bootstrap replicate re-sums the
 * units drawn with replacement (`bootstrap` of src/info, rows = units).
 */
import { bootstrap, type Rng } from "../info/index.js";
import type { Estimate } from "./document.js";

/** Bootstrap settings shared by every estimate of one analysis. */
export interface CiSettings {
  /** number of bootstrap replicates; 0 = no intervals */
  resamples: number;
  level: number;
  rng: Rng;
}

function sumAt(values: Float64Array, rows: Int32Array): number {
  let total = 0;
  for (let i = 0; i < rows.length; i++) total += values[rows[i]];
  return total;
}

function total(values: Float64Array): number {
  let t = 0;
  for (let i = 0; i < values.length; i++) t += values[i];
  return t;
}

/** Rounds to 6 significant digits so documents are stable and readable. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(6));
}

/**
 * `combine` applied to the per-unit sums of each column, with a percentile interval from
 * resampling units; `records` and `prompts` go into the estimate. A 0/0 replicate counts as 0.
 */
export function unitEstimate(
  columns: Float64Array[],
  combine: (sums: number[]) => number,
  ci: CiSettings,
  records: number,
): Estimate {
  const units = columns[0].length;
  const value = combine(columns.map(total));
  const estimate: Estimate = {
    value: Number.isFinite(value) ? round(value) : null,
    n: records,
    prompts: units,
  };
  if (ci.resamples >= 2 && units >= 2 && estimate.value !== null) {
    const result = bootstrap(
      (rows) => {
        const v = combine(columns.map((c) => sumAt(c, rows)));
        return Number.isFinite(v) ? v : 0;
      },
      { n: units, resamples: ci.resamples, level: ci.level, rng: ci.rng.fork() },
    );
    estimate.ci = [round(result.ci[0]), round(result.ci[1])];
  }
  return estimate;
}

/** Σ numerator / Σ denominator over units, with its interval. */
export function ratioEstimate(
  num: Float64Array,
  den: Float64Array,
  ci: CiSettings,
  records: number,
): Estimate {
  return unitEstimate([num, den], ([a, b]) => a / b, ci, records);
}

/** Least-squares slope of `y` on `x` (null with fewer than two points or no spread in x). */
export function slope(x: number[], y: (number | null)[]): number | null {
  const pts = x
    .map((xi, i) => [xi, y[i]] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null);
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let sxx = 0;
  let sxy = 0;
  for (const [a, b] of pts) {
    sxx += (a - mx) * (a - mx);
    sxy += (a - mx) * (b - my);
  }
  return sxx === 0 ? null : round(sxy / sxx);
}
