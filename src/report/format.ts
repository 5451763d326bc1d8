/**
 * Number formatting shared by the terminal, Markdown and HTML renderings: three significant
 * digits, percentages, p-values, and an estimate with its confidence interval and sample size.
 */
import type { Estimate } from "../analyze/index.js";

/**
 * A number with three significant digits; "n/a" for null or NaN.
 * @example formatNumber(0.81234) // "0.812"
 */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Math.abs(value) >= 10 ** digits) return String(Math.round(value));
  const text = String(Number(value.toPrecision(digits)));
  return text === "-0" ? "0" : text;
}

/**
 * A fraction as a percentage with three significant digits.
 * @example formatPercent(0.1234) // "12.3%"
 */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  return `${formatNumber(value * 100)}%`;
}

/**
 * A permutation p-value: two significant digits, or "<0.001" below 0.001.
 * @example formatPValue(0.0004) // "<0.001"
 */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  return value < 0.001 ? "<0.001" : formatNumber(value, 2);
}

/** The parts of a formatted estimate: value, interval (empty when absent) and sample size. */
export interface FormattedEstimate {
  value: string;
  ci: string;
  n: string;
}

/**
 * Formats an estimate as plain numbers or percentages.
 * @example formatEstimate({ value: 0.8123, ci: [0.77, 0.851], n: 400 }) // { value: "0.812", ci: "[0.77, 0.851]", n: "400" }
 */
export function formatEstimate(
  estimate: Estimate | null | undefined,
  options: { percent?: boolean } = {},
): FormattedEstimate {
  if (!estimate) return { value: "n/a", ci: "", n: "" };
  const f = options.percent ? formatPercent : formatNumber;
  const ci = estimate.ci && estimate.value !== null ? `[${f(estimate.ci[0])}, ${f(estimate.ci[1])}]` : "";
  return { value: f(estimate.value), ci, n: String(estimate.n) };
}

/**
 * An estimate on one line: "0.812 [0.77, 0.851]", or "n/a".
 * @example estimateText({ value: 0.5, n: 10 }) // "0.5"
 */
export function estimateText(
  estimate: Estimate | null | undefined,
  options: { percent?: boolean } = {},
): string {
  const f = formatEstimate(estimate, options);
  return f.ci ? `${f.value} ${f.ci}` : f.value;
}
