/**
 * The terminal table of a lab run: for each experiment its seeds and audit verdicts, then one
 * line per claim with the prediction, the measurement and whether they agree. Numbers show 5
 * significant digits here; `--json` keeps them whole.
 */
import type { LabRun } from "../lab/index.js";
import type { Styles } from "./output.js";

/** Significant digits of a number in the table. */
const DIGITS = 5;

/** A claim's predicted or measured value as shown: a number to {@link DIGITS} significant digits, text as is. */
function showValue(value: number | string): string {
  return typeof value === "number" ? String(Number(value.toPrecision(DIGITS))) : value;
}

/** Renders a lab run as text (predicted against measured). */
export function renderLabTable(run: LabRun, style: Styles): string {
  const lines: string[] = [];
  for (const result of run.experiments) {
    const audit = result.audit?.map((a) => `${a.arm} ${a.verdict}`).join(", ");
    lines.push(
      style.bold(`${result.experiment}`) +
        style.dim(`  ${result.seeds} seeds from ${result.seed}${audit ? `; audit: ${audit}` : ""}`),
    );
    for (const claim of result.claims) {
      const mark = claim.holds ? style.green("holds") : style.red("FAILS");
      lines.push(`  ${mark}  ${claim.claim}`);
      lines.push(
        style.dim(`         predicted ${showValue(claim.predicted)}; measured ${showValue(claim.measured)}`),
      );
    }
    for (const item of result.reported ?? []) {
      lines.push(`  ${style.cyan("report")} ${item.quantity}`);
      lines.push(style.dim(`         measured ${item.measured}`));
    }
    lines.push("");
  }
  const claims = run.experiments.flatMap((r) => r.claims);
  lines.push(`${claims.filter((c) => c.holds).length} of ${claims.length} claims hold`);
  return lines.join("\n");
}
