/**
 * The mean over seeds with a two-sided confidence interval, for the whole lab: claim experiments
 * use a Student-t 95% interval (seeds are few, so the t quantile, not the normal one);
 * calibrations use a normal 99% interval (seeds are many, and a fixed seed set should rarely
 * fail by chance).
 */

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The t quantile of a two-sided 95% interval with `df` degrees of freedom. */
export function tQuantile95(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T975[df - 1];
  return 1.96 + 2.4 / df; // within 0.002 of the exact value for df > 30
}

/** z quantile of a two-sided 99% interval. */
export const Z99 = 2.5758293035489004;

/**
 * How an interval is formed: the quantile from the degrees of freedom, and what a single value
 * gives (a point, or no interval: NaN bounds).
 */
export interface IntervalKind {
  quantile(df: number): number;
  single: "point" | "none";
}

/** Student-t 95%, for the claim experiments' few seeds; one seed gives a point. */
export const T95: IntervalKind = { quantile: tQuantile95, single: "point" };

/** Normal 99%, for the calibrations' many seeds; one seed gives no interval. */
export const NORMAL99: IntervalKind = { quantile: () => Z99, single: "none" };

/** A mean with its confidence interval. */
export interface MeanCI {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Mean of `values` with the interval mean -+ quantile(n - 1) * s / sqrt(n) (default: 95% t).
 * @example meanCI([1, 2, 3]) // { mean: 2, lo: -0.484, hi: 4.484, n: 3 }
 */
export function meanCI(values: ArrayLike<number>, kind: IntervalKind = T95): MeanCI {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n < 2) {
    const bound = kind.single === "point" ? mean : Number.NaN;
    return { mean, lo: bound, hi: bound, n };
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const half = kind.quantile(n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { mean, lo: mean - half, hi: mean + half, n };
}
