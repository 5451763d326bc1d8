/**
 * Summaries over seeds for the calibration experiments: the mean with a normal-theory interval,
 * the median with a distribution-free order-statistic interval, and a table of log-factorials.
 */

/** z quantile of a two-sided 99% interval; calibration claims use it so a fixed seed set rarely fails by chance. */
export const Z99 = 2.5758293035489004;

/** Mean of `values` with its standard error and a two-sided interval at `z`. */
export function meanInterval(
  values: Float64Array,
  z = Z99,
): { mean: number; se: number; lo: number; hi: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN;
  return { mean, se, lo: mean - z * se, hi: mean + z * se };
}

/**
 * Median with the order-statistic interval: the ranks n/2 -+ z*sqrt(n)/2 bound the median with
 * coverage about that of `z` whatever the distribution.
 */
export function medianInterval(values: Float64Array, z = Z99): { median: number; lo: number; hi: number } {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const mid = (n - 1) / 2;
  const median = (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
  const half = (z * Math.sqrt(n)) / 2;
  const lo = sorted[Math.max(0, Math.floor(mid - half))];
  const hi = sorted[Math.min(n - 1, Math.ceil(mid + half))];
  return { median, lo, hi };
}

/** Natural logs of 0!, 1!, ..., n!. */
export function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) table[i] = table[i - 1] + Math.log(i);
  return table;
}
