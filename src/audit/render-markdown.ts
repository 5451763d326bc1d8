/**
 * The audit as a Markdown document: verdict, channel table, inequality chain and findings, for
 * pull requests, notebooks and reports.
 */
import type { AuditReport } from "./audit.js";
import { channelHeader, channelRow } from "./render-text.js";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/**
 * Renders an audit report as Markdown.
 * @example renderAuditMarkdown(auditSpec(spec))
 */
export function renderAuditMarkdown(report: AuditReport, file?: string): string {
  const out: string[] = [];
  out.push(`# Audit: ${report.name}`);
  out.push("");
  if (file) out.push(`Spec: \`${file}\``);
  if (report.citation.length > 0) out.push(`From: ${report.citation.join("; ")}`);
  if (file || report.citation.length > 0) out.push("");
  out.push(
    `**Verdict: ${report.verdict === "open" ? "open" : "closed"}** (${
      report.verdict === "open"
        ? "X is d-connected to Z_{t+1} given Z_t"
        : "X is d-separated from Z_{t+1} given Z_t"
    })`,
  );
  if (report.trail) {
    out.push("");
    out.push(`Open trail: ${report.trail.map((n) => `\`${n}\``).join(" → ")}`);
  }
  out.push("");
  out.push("## Channels");
  out.push("");
  if (report.channels.length === 0) out.push("No signals.");
  else {
    out.push(`| ${channelHeader.join(" | ")} |`);
    out.push(`|${channelHeader.map(() => "---").join("|")}|`);
    for (const channel of report.channels)
      out.push(`| ${channelRow(channel, report.unit).map(cell).join(" | ")} |`);
  }
  if (report.sources.length > 0) {
    out.push("");
    out.push("Other sources of task information:");
    out.push("");
    for (const source of report.sources)
      out.push(`- **${source.name}**: ${source.label}${source.bounded ? " (a fixed reservoir)" : ""}`);
  }
  out.push("");
  out.push("## Why");
  out.push("");
  out.push("| step | reason |");
  out.push("|---|---|");
  for (const step of report.chain) out.push(`| \`${cell(step.expression)}\` | ${cell(step.reason)} |`);
  out.push("");
  out.push("## Findings");
  out.push("");
  for (const finding of report.findings) {
    out.push(
      `- **${finding.severity}** \`${finding.id}\`${finding.subject ? ` (${finding.subject})` : ""}: ${finding.message}`,
    );
    out.push(`  - Recommendation: ${finding.recommendation}`);
  }
  return `${out.join("\n")}\n`;
}
