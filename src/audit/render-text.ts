/**
 * The audit as readable terminal text: the verdict and one open trail, the channels, the other
 * sources, the chain of inequalities, and the findings with their recommendations.
 */
import type { AuditReport } from "./audit.js";
import type { Channel } from "./channels.js";
import type { Severity } from "./findings.js";

/** Colour functions (identity when colour is off). */
export interface TextStyles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain: TextStyles = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
  cyan: (t) => t,
};

/** A per-sample capacity for display: `1 bit`, `3.322 bits`, `unbounded` for a continuous range. */
export function formatCapacity(value: number | null, unit: AuditReport["unit"]): string {
  if (value === null) return "continuous";
  const rounded = Number(value.toFixed(3));
  return `${rounded} ${unit === "bits" ? "bit" : "nat"}${rounded === 1 ? "" : "s"}`;
}

/** One row of the channel table (shared with the Markdown renderer). */
export function channelRow(channel: Channel, unit: AuditReport["unit"]): string[] {
  const yes = (b: boolean) => (b ? "yes" : "no");
  return [
    channel.name,
    channel.kind,
    channel.model,
    yes(channel.external),
    channel.stable ? "stable" : "drifts",
    channel.taskInformation ? (channel.bounded ? "yes (finite)" : "yes") : "no",
    yes(channel.used),
    channel.metaLevel,
    formatCapacity(channel.maxPerSample, unit),
    yes(channel.surfaceDependent),
  ];
}

/** The channel table's header. */
export const channelHeader = [
  "signal",
  "kind",
  "computed by",
  "external",
  "drift",
  "task info",
  "used",
  "meta-level",
  "max/sample",
  "surface",
];

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Greedy word wrap to `width` columns; continuation lines start with `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const lead = /^ */.exec(text)?.[0] ?? "";
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    if (line.trim() !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() === "" ? line + word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

const WIDTH = 100;

const severityColour: Record<Severity, keyof TextStyles> = {
  high: "red",
  medium: "yellow",
  low: "cyan",
  info: "dim",
};

/**
 * Renders an audit report as terminal text.
 * @example renderAuditText(auditSpec(spec), styles())
 */
export function renderAuditText(report: AuditReport, style: TextStyles = plain, file?: string): string {
  const out: string[] = [];
  out.push(style.bold(`openloop audit: ${report.name}${file ? ` (${file})` : ""}`));
  if (report.citation.length > 0) out.push(style.dim(`from: ${report.citation.join("; ")}`));
  const verdict =
    report.verdict === "open"
      ? style.green("OPEN (information-open)")
      : style.red("CLOSED (information-closed)");
  out.push(`verdict: ${verdict}`);
  if (report.trail) out.push(`  open trail given Z_t: ${report.trail.join(" → ")}`);
  else out.push("  X is d-separated from Z_{t+1} given Z_t: every trail from the task passes through Z_t");
  out.push("");
  out.push(style.bold("channels"));
  if (report.channels.length === 0) out.push("  (no signals)");
  else
    for (const line of table(
      channelHeader,
      report.channels.map((c) => channelRow(c, report.unit)),
    ))
      out.push(`  ${line}`);
  if (report.sources.length > 0) {
    out.push("");
    out.push(style.bold("other sources of task information"));
    for (const source of report.sources)
      out.push(`  ${source.name}: ${source.label}${source.bounded ? " (a fixed reservoir)" : ""}`);
  }
  out.push("");
  out.push(style.bold("why (data processing inequality)"));
  const lead = " ".repeat("I(X; Z_{t+1}) ".length);
  for (const step of report.chain) {
    out.push(`  ${step.expression.startsWith("=") ? lead : ""}${step.expression}`);
    for (const line of wrap(`      · ${step.reason}`, WIDTH, "        ")) out.push(style.dim(line));
  }
  out.push("");
  out.push(style.bold(`findings (${report.findings.length})`));
  for (const finding of report.findings) {
    const tag = style[severityColour[finding.severity]](`[${finding.severity}]`);
    const head = `[${finding.severity}]`;
    const [first, ...rest] = wrap(
      `  ${head} ${finding.id}${finding.subject ? ` (${finding.subject})` : ""}: ${finding.message}`,
      WIDTH,
      "    ",
    );
    out.push(first.replace(head, tag), ...rest);
    out.push(...wrap(`    → ${finding.recommendation}`, WIDTH, "      "));
  }
  return `${out.join("\n")}\n`;
}
