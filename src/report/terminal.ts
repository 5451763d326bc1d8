/**
 * The analysis document as a terminal summary: findings with their severity, one table of the
 * signals, the top hacking channels, bits per iteration and diversity. Colour comes from the
 * caller's style functions (the CLI passes ANSI styles, or identity under NO_COLOR).
 */
import type { AnalysisDocument } from "../analyze/index.js";
import { estimateText, formatPValue } from "./format.js";
import { inputSummary } from "./markdown.js";
import {
  diversityTable,
  iterationTable,
  methodNote,
  orderedFindings,
  type ReportTable,
  signalSummaryTable,
} from "./report-tables.js";

/** Style functions for terminal text; each defaults to the identity. */
export interface TerminalStyle {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  cyan: (text: string) => string;
}

const plain: TerminalStyle = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  yellow: (t) => t,
  green: (t) => t,
  cyan: (t) => t,
};

/**
 * A table with columns padded to their widest cell (numbers right-aligned), two spaces apart.
 * @example textTable({ headers: ["a"], rows: [[{ text: "1", num: true }]] })
 */
export function textTable(
  table: ReportTable,
  style: Pick<TerminalStyle, "bold"> = plain,
  indent = "  ",
): string {
  const cells = table.rows.map((r) => r.map((c) => (c.ci ? `${c.text} ${c.ci}` : c.text)));
  const widths = table.headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const numeric = table.headers.map((_, i) => table.rows.length > 0 && table.rows.every((r) => r[i]?.num));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (row: string[]) => `${indent}${row.map(pad).join("  ")}`.trimEnd();
  return [style.bold(line(table.headers)), ...cells.map(line)].join("\n");
}

/**
 * Renders the terminal summary of an analysis.
 * @example process.stdout.write(renderTerminal(doc, styles()))
 */
export function renderTerminal(doc: AnalysisDocument, style: Partial<TerminalStyle> = {}): string {
  const s: TerminalStyle = { ...plain, ...style };
  const out: string[] = [s.bold(`openloop analysis: ${inputSummary(doc)}`), ""];
  const findings = orderedFindings(doc);
  out.push(s.bold(`Findings (${findings.length})`));
  if (findings.length === 0) out.push("  none");
  for (const f of findings) {
    const tag = f.severity.toUpperCase().padEnd(8);
    const colour = f.severity === "critical" ? s.red : f.severity === "warning" ? s.yellow : s.cyan;
    out.push(`  ${colour(tag)}  ${s.bold(f.title)}`);
    if (f.detail) out.push(`            ${f.detail}`);
    if (f.advice) out.push(s.dim(`            -> ${f.advice}`));
  }
  const u = doc.unit;
  // Short headers keep the tables within about 120 columns.
  const signals = {
    ...signalSummaryTable(doc),
    headers: ["signal", "kind", `${u}/sample`, "zero-info", "task", "intra-class", "\u03b7", "flagged"],
  };
  out.push("", s.bold("Signals"), textTable(signals, s));
  for (const signal of doc.signals) {
    const its = signal.per_iteration;
    if (doc.settings.by_iteration && its.length > 0) {
      const table = iterationTable(doc, signal);
      const headers = ["iter", `${u}/sample`, "zero-info", "task", "intra-class", "\u03b7", "pass rate"];
      // the flagged-channels column, present only when some iteration has one
      headers.push(...table.headers.slice(headers.length).map(() => "flagged channels"));
      out.push("", `  ${s.bold(signal.name)} by iteration`, textTable({ ...table, headers }, s, "    "));
    } else if (its.length > 1) {
      // At most six iterations on one line: the first and last three of a longer run.
      const shown = its.length > 6 ? [...its.slice(0, 3), null, ...its.slice(-3)] : its;
      const items = shown.map((m) => (m ? `${m.iteration}: ${estimateText(m.bits_per_sample)}` : "\u2026"));
      out.push("", `  ${s.bold(signal.name)} ${u}/sample by iteration: ${items.join("  ")}`);
    }
    const top = signal.hacking_channels.filter((c) => c.flagged || (c.bits.value ?? 0) > 0).slice(0, 5);
    if (top.length > 0) {
      out.push("", `  ${s.bold(signal.name)} hacking channels I(S;F|[Y],Q):`);
      for (const c of top) {
        const mark = c.flagged ? s.red("flagged") : s.dim("ok");
        out.push(
          `    ${c.feature}: ${estimateText(c.bits)} ${doc.unit}, p ${formatPValue(c.p_value)}  ${mark}`,
        );
      }
    }
    if (signal.drift?.rising) {
      out.push(
        "",
        `  ${s.yellow(`${signal.name} drifts`)}: it is becoming predictable from the student's own view.`,
      );
    }
  }
  if (doc.diversity.per_iteration.length > 0) {
    out.push("", s.bold(`Diversity${doc.diversity.trend.collapsing ? ` (${s.red("collapsing")})` : ""}`));
    const headers = [
      "iter",
      "records",
      "prompts",
      `H([Y]|Q) ${u}`,
      "classes",
      "new",
      "per prompt",
      "duplicates",
      "near-dup",
      "Chao1",
    ];
    out.push(textTable({ ...diversityTable(doc), headers }, s));
  }
  if (doc.surface_waste) {
    out.push("", `Surface waste H(Y|[Y],Q): ${estimateText(doc.surface_waste.bits)} ${doc.unit}/sample`);
  }
  out.push("", s.dim(methodNote(doc)), "");
  return out.join("\n");
}
