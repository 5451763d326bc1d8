/**
 * Summaries over seeds for the calibration experiments beyond the mean (which is `meanCI` in
 * ../stats.ts): the median with a distribution-free order-statistic interval, and a table of
 * log-factorials.
 */
import { Z99 } from "../stats.js";

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
