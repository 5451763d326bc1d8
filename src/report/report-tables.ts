/**
 * The tables of an analysis report as format-neutral data (text cells with their confidence
 * interval), so the terminal, Markdown and HTML renderings show the same numbers.
 */
import type { AnalysisDocument, Estimate, SignalAnalysis } from "../analyze/index.js";
import { formatEstimate, formatNumber, formatPercent, formatPValue } from "./format.js";

/** One cell: its text, an optional confidence interval, and whether it is numeric (right-aligned). */
export interface ReportCell {
  text: string;
  ci?: string;
  num?: boolean;
}

/** A table: headers and rows of cells. */
export interface ReportTable {
  headers: string[];
  rows: ReportCell[][];
}

const label = (text: string): ReportCell => ({ text });
const count = (value: number | null | undefined): ReportCell => ({
  text: value === null || value === undefined ? "n/a" : formatNumber(value),
  num: true,
});

function estimate(e: Estimate | null | undefined, percent = false): ReportCell {
  const f = formatEstimate(e, { percent });
  return { text: f.value, ci: f.ci || undefined, num: true };
}

/** "bits" or "nats", for headers. */
function unitOf(doc: AnalysisDocument): string {
  return doc.unit;
}

/** One row per signal: the headline metrics. */
export function signalSummaryTable(doc: AnalysisDocument): ReportTable {
  const u = unitOf(doc);
  return {
    headers: [
      "signal",
      "kind",
      `${u}/sample I(Y;S|Q)`,
      "zero-info prompts",
      `task-relevant I([Y];S|Q)`,
      `intra-class I(Y;S|[Y],Q)`,
      "efficiency \u03b7",
      "flagged channels",
    ],
    rows: doc.signals.map((s) => [
      label(s.name),
      label(s.kind),
      estimate(s.overall.bits_per_sample),
      estimate(s.overall.zero_info_prompt_fraction, true),
      estimate(s.overall.task_bits),
      estimate(s.overall.intra_class_bits),
      estimate(s.overall.efficiency),
      count(s.hacking_channels.filter((c) => c.flagged).length),
    ]),
  };
}

/**
 * One row per iteration of a signal's metrics; when a hacking channel is flagged in some
 * iteration, a last column lists each iteration's flagged channels (feature and bits).
 */
export function iterationTable(doc: AnalysisDocument, signal: SignalAnalysis): ReportTable {
  const u = unitOf(doc);
  const flagged = signal.per_iteration.map((it) => (it.hacking_channels ?? []).filter((c) => c.flagged));
  const withChannels = flagged.some((list) => list.length > 0);
  return {
    headers: [
      "iteration",
      `${u}/sample`,
      "zero-info prompts",
      "task-relevant",
      "intra-class",
      "efficiency \u03b7",
      "mean pass rate",
      ...(withChannels ? [`flagged channels (${u})`] : []),
    ],
    rows: signal.per_iteration.map((it, i) => [
      count(it.iteration),
      estimate(it.bits_per_sample),
      estimate(it.zero_info_prompt_fraction, true),
      estimate(it.task_bits),
      estimate(it.intra_class_bits),
      estimate(it.efficiency),
      { text: it.pass_rate ? formatPercent(it.pass_rate.mean) : "n/a", num: true },
      ...(withChannels ? [label(flaggedText(flagged[i]))] : []),
    ]),
  };
}

/** "length_chars 0.21, has_boxed 0.05" (bits without interval), or "none". */
function flaggedText(channels: SignalAnalysis["hacking_channels"]): string {
  if (channels.length === 0) return "none";
  return channels.map((c) => `${c.feature} ${formatEstimate(c.bits).value}`).join(", ");
}

/** One row per hacking channel, largest first. */
export function channelTable(doc: AnalysisDocument, signal: SignalAnalysis): ReportTable {
  const u = unitOf(doc);
  return {
    headers: [
      "feature",
      "source",
      `I(S;F|[Y],Q) ${u}`,
      "permutation null",
      "p-value",
      `I(S;F|Q) ${u}`,
      "flagged",
    ],
    rows: signal.hacking_channels.map((c) => [
      label(c.feature),
      label(c.source),
      estimate(c.bits),
      { text: formatNumber(c.null_bits), num: true },
      { text: formatPValue(c.p_value), num: true },
      estimate(c.marginal_bits),
      label(c.flagged ? "yes" : "no"),
    ]),
  };
}

/** The agreement of a signal with gold, or null without gold. */
export function fidelityTable(doc: AnalysisDocument, signal: SignalAnalysis): ReportTable | null {
  const f = signal.fidelity;
  if (!f) return null;
  const u = unitOf(doc);
  return {
    headers: ["quantity", "value"],
    rows: [
      [label(`I(gold;S|Q) ${u}`), estimate(f.gold_bits)],
      [label("false-positive rate P(pass | wrong)"), estimate(f.fpr, true)],
      [label("false-negative rate P(fail | right)"), estimate(f.fnr, true)],
      [label(`capacity of the gold \u2192 S channel (${u}/use)`), estimate(f.capacity)],
    ],
  };
}

/** The signal's predictability from the student's own view, per iteration, or null. */
export function driftTable(doc: AnalysisDocument, signal: SignalAnalysis): ReportTable | null {
  const d = signal.drift;
  if (!d) return null;
  return {
    headers: ["iteration", `I(S;${d.indicator}|Q) ${unitOf(doc)}`],
    rows: d.per_iteration.map((p) => [count(p.iteration), estimate(p.bits)]),
  };
}

/** Diversity figures per iteration. */
export function diversityTable(doc: AnalysisDocument): ReportTable {
  const u = unitOf(doc);
  return {
    headers: [
      "iteration",
      "records",
      "prompts",
      `class entropy H([Y]|Q) ${u}`,
      "distinct classes",
      "new classes",
      "classes/prompt",
      "duplicates",
      "near-duplicates",
      "Chao1",
    ],
    rows: doc.diversity.per_iteration.map((it) => [
      count(it.iteration),
      count(it.records),
      count(it.prompts),
      estimate(it.class_entropy),
      count(it.distinct_classes),
      count(it.new_classes),
      count(it.classes_per_prompt),
      estimate(it.duplicate_rate, true),
      estimate(it.near_duplicate_rate, true),
      count(it.chao1?.value),
    ]),
  };
}

/** The input files. */
export function inputTable(doc: AnalysisDocument): ReportTable {
  return {
    headers: ["file", "format", "records", "skipped"],
    rows: doc.inputs.files.map((f) => [label(f.path), label(f.format), count(f.records), count(f.skipped)]),
  };
}

/** Fields never seen in the records and the metrics they disable. */
export function missingFieldTable(doc: AnalysisDocument): ReportTable | null {
  if (doc.fields.missing.length === 0) return null;
  return {
    headers: ["missing field", "disables"],
    rows: doc.fields.missing.map((m) => [label(m.field), label(m.disables.join(", "))]),
  };
}

/** Findings ordered by severity: critical, then warning, then info (stable within a severity). */
export function orderedFindings(doc: AnalysisDocument): AnalysisDocument["findings"] {
  const rank = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
  return doc.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (rank[a.f.severity] ?? 3) - (rank[b.f.severity] ?? 3) || a.i - b.i)
    .map(({ f }) => f);
}

/** One line describing the confidence intervals and units of the document. */
export function methodNote(doc: AnalysisDocument): string {
  const s = doc.settings;
  return (
    `Information in ${doc.unit}. Intervals: ${formatNumber(s.level * 100)}% bootstrap percentile intervals ` +
    `resampling prompts (${s.bootstrap} resamples); channel p-values from at most ${s.permutations} ` +
    `within-class permutations (a test stops early once it cannot be significant); seed ${s.seed}.`
  );
}
