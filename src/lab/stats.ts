/**
 * Summaries over seeds for the lab's experiments: the mean with a two-sided 95% Student-t
 * confidence interval (seeds are few, so the t quantile, not the normal one).
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

/** A mean with its 95% confidence interval. */
export interface MeanCI {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Mean of `values` and its 95% t interval (a single value gives an interval of width zero).
 * @example meanCI([1, 2, 3]) // { mean: 2, lo: -0.484, hi: 4.484, n: 3 }
 */
export function meanCI(values: readonly number[]): MeanCI {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile95(n - 1) * Math.sqrt(variance / n);
  return { mean, lo: mean - half, hi: mean + half, n };
}
