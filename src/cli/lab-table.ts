/**
 * The terminal table of a lab run: for each experiment its seeds and audit verdicts, then one
 * line per claim with the prediction, the measurement and whether they agree.
 */
import type { LabRun } from "../lab/index.js";
import type { Styles } from "./output.js";

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
      lines.push(style.dim(`         predicted ${claim.predicted}; measured ${claim.measured}`));
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
