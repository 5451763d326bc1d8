/**
 * Building a lab experiment's claims: per-seed measurements from the loop results (a row, the
 * change over the run, the mean over iterations, paired differences), the predictions a claim
 * can make with the interval rule that decides each, and the claim builders.
 */
import type { Unit } from "../info/index.js";
import type { Claim } from "./calibration/index.js";
import type { LoopResult, LoopRow } from "./loop.js";
import { type MeanCI, meanCI } from "./stats.js";

/** Per-seed values of `q` in row `index` (negative counts from the end). */
export function at(results: LoopResult[], q: keyof LoopRow, index: number): number[] {
  return results.map((r) => r.rows[index < 0 ? r.rows.length + index : index][q]);
}

/** Per-seed change of `q` from the first row to the last. */
export function change(results: LoopResult[], q: keyof LoopRow): number[] {
  return results.map((r) => r.rows[r.rows.length - 1][q] - r.rows[0][q]);
}

/** Per-seed mean of `q` over iterations 1..end (the rows that carry signal measurements). */
export function overIterations(results: LoopResult[], q: keyof LoopRow, from = 1): number[] {
  return results.map((r) => {
    const rows = r.rows.slice(from);
    return rows.reduce((a, row) => a + row[q], 0) / rows.length;
  });
}

/** Per-seed differences a - b of two paired measurements. */
export function paired(a: number[], b: number[]): number[] {
  return a.map((v, i) => v - b[i]);
}

/** "0.123 [0.1, 0.15]": a mean and its 95% interval, rounded. */
export function formatCI(ci: MeanCI, digits = 3): string {
  const r = (v: number) => Number(v.toFixed(digits));
  return `${r(ci.mean)} [${r(ci.lo)}, ${r(ci.hi)}]`;
}

/** An information quantity given in bits, expressed in `unit`. */
export function inUnit(bits: number, unit: Unit): number {
  return unit === "bits" ? bits : bits * Math.LN2;
}

/** What a claim predicts, as shown, and the rule that decides it from the measured mean and interval. */
export interface Prediction {
  text: string;
  holds(ci: MeanCI): boolean;
}

/** The change rises: its interval lies above 0. */
export const RISES: Prediction = { text: "change > 0", holds: (ci) => ci.lo > 0 };

/** The change does not rise: it is not significantly above 0. */
export const DOES_NOT_RISE: Prediction = { text: "change <= 0", holds: (ci) => ci.lo <= 0 };

/** The change falls: its interval lies below 0. */
export const FALLS: Prediction = { text: "change < 0", holds: (ci) => ci.hi < 0 };

/** The quantity is positive: its interval lies above 0. */
export const POSITIVE: Prediction = { text: "> 0", holds: (ci) => ci.lo > 0 };

/** The quantity is zero: its mean is within 0.01 bits of 0. */
export const ZERO: Prediction = { text: "0", holds: (ci) => Math.abs(ci.mean) <= 0.01 };

/**
 * A claim measured as a mean with its interval, decided by `prediction`. With `unit`, the values
 * are information in bits: the prediction still sees bits, the measurement is shown in `unit`.
 */
export function ciClaim(claim: string, prediction: Prediction, values: number[], unit?: Unit): Claim {
  const ci = meanCI(values);
  const holds = prediction.holds(ci);
  if (unit === undefined) return { claim, predicted: prediction.text, measured: formatCI(ci), holds };
  const shown = meanCI(values.map((v) => inUnit(v, unit)));
  return { claim, predicted: prediction.text, measured: `${formatCI(shown)} ${unit}`, holds };
}

/** The claim that the audit of an arm's spec gives the verdict the paper predicts. */
export function auditClaim(
  arm: string,
  expected: "open" | "closed",
  verdicts: Record<string, string>,
): Claim {
  const verdict = verdicts[arm] ?? "unknown";
  return {
    claim: `the audit of the ${arm} spec says the loop is information-${expected}`,
    predicted: expected,
    measured: verdict,
    holds: verdict === expected,
  };
}
