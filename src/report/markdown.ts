/**
 * The analysis document as Markdown (GitHub-flavoured): findings first, then a summary table of
 * the signals, per-signal sections (iterations, pass rates, zero-information prompts, hacking
 * channels, fidelity, drift), diversity, surface waste and the inputs. Every number carries its
 * confidence interval where the document has one.
 */
import type { AnalysisDocument, SignalAnalysis } from "../analyze/index.js";
import { escapeMarkdown } from "./escape.js";
import { estimateText, formatNumber, formatPercent } from "./format.js";
import { markdownTable } from "./markdown-table.js";
import {
  channelTable,
  diversityTable,
  driftTable,
  fidelityTable,
  inputTable,
  iterationTable,
  methodNote,
  missingFieldTable,
  orderedFindings,
  type ReportTable,
  signalSummaryTable,
} from "./report-tables.js";

/** A report table as Markdown: each cell's value followed by its interval. */
export function markdownReportTable(table: ReportTable): string {
  const align = table.headers.map((_, i) =>
    table.rows.length > 0 && table.rows.every((r) => r[i]?.num) ? ("right" as const) : ("left" as const),
  );
  return markdownTable(
    table.headers,
    table.rows.map((r) => r.map((c) => (c.ci ? `${c.text} ${c.ci}` : c.text))),
    { align },
  );
}

/** A sentence describing the records analysed. */
export function inputSummary(doc: AnalysisDocument): string {
  const its = doc.inputs.iterations;
  const range =
    its.length === 0 ? "none" : its.length === 1 ? String(its[0]) : `${its[0]}\u2013${its[its.length - 1]}`;
  const n = doc.inputs.skipped;
  const skipped = n > 0 ? `, ${n} bad line${n === 1 ? "" : "s"} skipped` : "";
  const e = doc.inputs.error_records;
  const errors = e > 0 ? `, ${e} error record${e === 1 ? "" : "s"} (failed generations) left out` : "";
  return `${doc.inputs.records} records, ${doc.inputs.prompts} prompts, iterations ${range}, ${doc.signals.length} signal${doc.signals.length === 1 ? "" : "s"}${skipped}${errors}`;
}

function signalSection(doc: AnalysisDocument, s: SignalAnalysis): string[] {
  const out = [`## Signal: ${escapeMarkdown(s.name)}`, "", `${s.kind}, ${s.levels} levels.`, ""];
  if (s.per_iteration.length > 0)
    out.push("### Per iteration", "", markdownReportTable(iterationTable(doc, s)), "");
  const pr = s.overall.pass_rate;
  if (pr) {
    out.push(
      "### Pass rates",
      "",
      `${pr.prompts} prompts, mean pass rate ${formatPercent(pr.mean)}; ${pr.always_pass} always pass, ${pr.always_fail} always fail.`,
      "",
      markdownTable(
        ["pass rate", "prompts"],
        pr.bins.map((b, i) => [
          `[${formatNumber(b.lo)}, ${formatNumber(b.hi)}${i === pr.bins.length - 1 ? "]" : ")"}`,
          b.count,
        ]),
      ),
      "",
    );
  }
  const z = s.zero_info_prompts;
  if (z.count > 0) {
    const examples = z.examples.map((e) => escapeMarkdown(e)).join(", ");
    out.push(
      "### Zero-information prompts",
      "",
      `${z.count} prompts (${estimateText(s.overall.zero_info_prompt_fraction, { percent: true })} of prompts) got one signal value on every sample` +
        (s.kind === "binary" ? ` (${z.always_pass} always pass, ${z.always_fail} always fail)` : "") +
        `; they inject no bits. Examples: ${examples}.`,
      "",
    );
  }
  if (s.hacking_channels.length > 0) {
    out.push("### Reward-hacking channels", "", markdownReportTable(channelTable(doc, s)), "");
  }
  const fidelity = fidelityTable(doc, s);
  if (fidelity) out.push("### Fidelity to gold", "", markdownReportTable(fidelity), "");
  const drift = driftTable(doc, s);
  if (drift && s.drift) {
    out.push(
      "### Drift",
      "",
      markdownReportTable(drift),
      "",
      `Slope ${formatNumber(s.drift.slope)} ${doc.unit}/iteration; ${s.drift.rising ? "**rising**: the signal is becoming predictable from the student's own view" : "not rising"}.`,
      "",
    );
  }
  if (s.inconsistent_duplicate_fraction !== null && s.inconsistent_duplicate_fraction > 0) {
    out.push(
      `Repeated (prompt, response) pairs with a different signal: ${formatPercent(s.inconsistent_duplicate_fraction)} (the signal is not deterministic).`,
      "",
    );
  }
  return out;
}

/**
 * Renders the analysis document as a Markdown report.
 * @example writeFileSync("report.md", renderMarkdown(doc))
 */
export function renderMarkdown(doc: AnalysisDocument): string {
  const out: string[] = ["# openloop analysis", "", `${inputSummary(doc)}.`, "", "## Findings", ""];
  const findings = orderedFindings(doc);
  if (findings.length === 0) out.push("No findings.", "");
  for (const f of findings) {
    out.push(
      `- **${f.severity.toUpperCase()}** \u2014 **${escapeMarkdown(f.title)}** ${escapeMarkdown(f.detail)}` +
        (f.advice ? `<br>*Advice:* ${escapeMarkdown(f.advice)}` : ""),
    );
  }
  if (findings.length > 0) out.push("");
  out.push("## Signals", "", markdownReportTable(signalSummaryTable(doc)), "", methodNote(doc), "");
  for (const s of doc.signals) out.push(...signalSection(doc, s));
  out.push("## Diversity", "");
  if (doc.diversity.per_iteration.length > 0) out.push(markdownReportTable(diversityTable(doc)), "");
  const t = doc.diversity.trend;
  out.push(
    `Trend per iteration: class entropy ${formatNumber(t.class_entropy_slope)} ${doc.unit}, duplicates ${formatNumber(t.duplicate_rate_slope)}, near-duplicates ${formatNumber(t.near_duplicate_rate_slope)}; ${t.collapsing ? "**collapsing**" : "not collapsing"}.`,
    "",
  );
  if (doc.surface_waste) {
    const w = doc.surface_waste;
    out.push(
      "## Surface waste",
      "",
      `Training on these responses as references spends ${estimateText(w.bits)} ${doc.unit} per sample on surface form, H(Y|[Y],Q): ` +
        `${formatNumber(w.surface_forms_per_class.mean)} distinct responses per (prompt, class) on average (max ${w.surface_forms_per_class.max}) over ${w.classes} classes.`,
      "",
    );
  }
  out.push("## Inputs", "", markdownReportTable(inputTable(doc)), "");
  const missing = missingFieldTable(doc);
  if (missing) out.push(markdownReportTable(missing), "");
  if (doc.inputs.skipped_examples.length > 0) {
    out.push(
      "Skipped lines:",
      "",
      ...doc.inputs.skipped_examples.map((l) => `- ${escapeMarkdown(`${l.file}:${l.line}: ${l.message}`)}`),
      "",
    );
  }
  out.push(`Schema ${doc.schema}; seed ${doc.settings.seed}.`, "");
  return out.join("\n");
}
