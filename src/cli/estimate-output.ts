/**
 * The result of `openloop estimate` as data (the `--json` document) and as one readable line.
 */
import type { KnnTransform, Unit } from "../info/index.js";
import type { ColumnKind } from "../records/index.js";
import type { EstimatorName, Quantity } from "./estimate-plan.js";
import { fmt, type Styles } from "./output.js";

/** The `--json` document of `openloop estimate`. */
export interface EstimateResult {
  quantity: Quantity;
  estimator: EstimatorName;
  unit: Unit;
  /** The estimator's value as computed (may be negative for MI/CMI). */
  value: number;
  /** Same as `value`: the raw estimate (MI/CMI only). */
  raw?: number;
  /** max(raw, 0) (MI/CMI only): the true MI/CMI is never negative. */
  clipped?: number;
  n: number;
  file: string;
  x: string[];
  y: string[];
  given: string[];
  kinds: Record<string, ColumnKind>;
  k?: number;
  transform?: KnnTransform;
  seed: number;
  ci?: [number, number];
  level?: number;
  se?: number;
  bootstrap?: number;
  group?: string;
  groups?: number;
  p_value?: number;
  null_mean?: number;
  permutations?: number;
}

/** The symbol of the quantity over the named columns, e.g. `I(x;y|z)` or `H(a,b)`. */
export function quantitySymbol(result: Pick<EstimateResult, "quantity" | "x" | "y" | "given">): string {
  const x = result.x.join(",");
  const given = result.given.length > 0 ? `|${result.given.join(",")}` : "";
  if (result.quantity === "entropy") return `H(${x}${given})`;
  return `I(${x};${result.y.join(",")}${given})`;
}

/**
 * One line for a terminal, e.g.
 * `I(x;y|z) = 0.9931 bits  [miller-madow, n = 2000]  95% CI [0.97, 1.01]  p = 0.001`.
 */
export function formatEstimateLine(result: EstimateResult, style: Styles): string {
  const parts = [`${quantitySymbol(result)} = ${style.bold(fmt(result.value))} ${result.unit}`];
  if (result.clipped !== undefined && result.value < 0)
    parts[0] += ` (negative estimate; clipped: ${fmt(result.clipped)})`;
  const k = result.k !== undefined ? `, k = ${result.k}` : "";
  parts.push(style.dim(`[${result.estimator}${k}, n = ${result.n}]`));
  if (result.ci !== undefined) {
    const unitOf = result.group !== undefined ? `${result.groups} groups of '${result.group}'` : "rows";
    parts.push(
      `${Math.round((result.level ?? 0) * 1000) / 10}% CI [${fmt(result.ci[0])}, ${fmt(result.ci[1])}] (${result.bootstrap} bootstrap resamples of ${unitOf})`,
    );
  }
  if (result.p_value !== undefined) {
    parts.push(
      `p = ${fmt(result.p_value)} (${result.permutations} permutations, null mean ${fmt(result.null_mean)})`,
    );
  }
  return parts.join("  ");
}
