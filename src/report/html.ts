/**
 * The analysis document as one self-contained HTML page: findings first with severity badges,
 * headline cards, then per signal the pass-rate histogram, bits per iteration and hacking
 * channels as inline SVG charts with their tables, then diversity over iterations, surface waste
 * and the inputs. Every number carries its confidence interval where the document has one.
 */
import type { AnalysisDocument, Estimate, SignalAnalysis } from "../analyze/index.js";
import { barChart } from "./chart-bar.js";
import { type HistogramChartBin, histogramChart } from "./chart-histogram.js";
import { type LinePoint, type LineSeries, lineChart } from "./chart-line.js";
import { escapeHtml } from "./escape.js";
import { formatEstimate, formatNumber, formatPercent } from "./format.js";
import {
  type HtmlCell,
  htmlCards,
  htmlChartGrid,
  htmlFigure,
  htmlFindings,
  htmlNav,
  htmlSection,
  htmlTable,
} from "./html-elements.js";
import { htmlPage } from "./html-page.js";
import { inputSummary } from "./markdown.js";
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

/** A value with its interval as markup: `0.81 <span class="ol-ci">[0.77, 0.85]</span>`. */
function valueHtml(text: string, ci?: string): string {
  return ci ? `${escapeHtml(text)} <span class="ol-ci">${escapeHtml(ci)}</span>` : escapeHtml(text);
}

function estimateHtml(e: Estimate | null | undefined, percent = false): string {
  const f = formatEstimate(e, { percent });
  return valueHtml(f.value, f.ci);
}

/** A report table as an HTML table, intervals in muted type; `rowLinks` link first cells to anchors. */
export function htmlReportTable(
  table: ReportTable,
  options: { caption?: string; rowLinks?: string[] } = {},
): string {
  const rows: HtmlCell[][] = table.rows.map((r, i) =>
    r.map((c, j) => {
      const html = valueHtml(c.text, c.ci);
      const link = j === 0 ? options.rowLinks?.[i] : undefined;
      return { html: link ? `<a href="#${escapeHtml(link)}">${html}</a>` : html, num: c.num === true };
    }),
  );
  return htmlTable(table.headers, rows, options.caption);
}

const point = (x: number, e: Estimate | null | undefined, scale = 1): LinePoint => ({
  x,
  y: e?.value === null || e?.value === undefined ? null : e.value * scale,
  lo: e?.ci ? e.ci[0] * scale : null,
  hi: e?.ci ? e.ci[1] * scale : null,
});

/** The pass-rate histogram figure, with prompts at exactly 0 or 1 split off as emphasised point masses. */
function passRateChart(s: SignalAnalysis, index: number): string | null {
  const pr = s.overall.pass_rate;
  if (!pr) return null;
  const last = pr.bins.length - 1;
  const bins: HistogramChartBin[] = [
    { lo: 0, hi: 0, count: pr.always_fail },
    ...pr.bins.map((b, i) => ({
      lo: b.lo,
      hi: b.hi,
      count: b.count - (i === 0 ? pr.always_fail : 0) - (i === last ? pr.always_pass : 0),
    })),
    { lo: 1, hi: 1, count: pr.always_pass },
  ];
  const svg = histogramChart({
    id: `ol-s${index}-pass-rate`,
    title: `Pass rates of ${s.name}`,
    description: `Distribution of the per-prompt pass rates of ${s.name} over ${pr.prompts} prompts; ${pr.always_fail} always fail and ${pr.always_pass} always pass (no information).`,
    bins,
    emphasis: bins.map((_, i) => i === 0 || i === bins.length - 1),
    legendLabels: ["prompts", "pass rate 0 or 1: no information"],
    xLabel: "pass rate",
    yLabel: "prompts",
  });
  return htmlFigure(svg);
}

/** The figure of bits per sample, task-relevant and intra-class bits (and drift) per iteration. */
function bitsChart(doc: AnalysisDocument, s: SignalAnalysis, index: number): string | null {
  if (s.per_iteration.length === 0) return null;
  const its = s.per_iteration;
  const series: LineSeries[] = [
    { name: "I(Y;S|Q) per sample", points: its.map((m) => point(m.iteration, m.bits_per_sample)) },
  ];
  if (its.some((m) => m.task_bits)) {
    series.push({ name: "task-relevant", points: its.map((m) => point(m.iteration, m.task_bits)) });
    series.push({ name: "intra-class", points: its.map((m) => point(m.iteration, m.intra_class_bits)) });
  }
  if (s.drift) {
    series.push({
      name: `drift I(S;${s.drift.indicator}|Q)`,
      points: s.drift.per_iteration.map((d) => point(d.iteration, d.bits)),
      dashed: true,
    });
  }
  const svg = lineChart({
    id: `ol-s${index}-bits`,
    title: `Information per sample of ${s.name}, by iteration`,
    series,
    xLabel: "iteration",
    yLabel: doc.unit,
  });
  return htmlFigure(svg);
}

/** At most this many channels are drawn; the table lists them all. */
const MAX_CHART_CHANNELS = 15;

/**
 * The channels to draw: those with some information inside a class or overall, or flagged (all
 * of them when none has any), largest first as the document orders them, at most 15.
 */
function chartedChannels(s: SignalAnalysis): SignalAnalysis["hacking_channels"] {
  const measurable = s.hacking_channels.filter(
    (c) => c.flagged || (c.bits.value ?? 0) > 0 || (c.marginal_bits.value ?? 0) > 0,
  );
  return (measurable.length > 0 ? measurable : s.hacking_channels).slice(0, MAX_CHART_CHANNELS);
}

/** Hacking channels: bits inside a class and marginal bits per feature, flagged ones emphasised. */
function channelChart(doc: AnalysisDocument, s: SignalAnalysis, index: number): string | null {
  if (s.hacking_channels.length === 0) return null;
  const ch = chartedChannels(s);
  const bar = (e: Estimate) =>
    e.value === null ? null : { value: e.value, lo: e.ci?.[0] ?? null, hi: e.ci?.[1] ?? null };
  return barChart({
    id: `ol-s${index}-channels`,
    title: `Hacking channels of ${s.name}`,
    categories: ch.map((c) => c.feature),
    series: [
      { name: "inside a class I(S;F|[Y],Q)", values: ch.map((c) => bar(c.bits)) },
      { name: "marginal I(S;F|Q)", values: ch.map((c) => bar(c.marginal_bits)) },
    ],
    emphasis: ch.map((c) => c.flagged),
    emphasisLabel: "flagged",
    valueLabel: doc.unit,
  });
}

function signalCards(doc: AnalysisDocument, s: SignalAnalysis): string {
  const m = s.overall;
  const cards = [
    {
      label: `${doc.unit} per sample I(Y;S|Q)`,
      html: estimateHtml(m.bits_per_sample),
      note: `n = ${m.bits_per_sample.n}`,
    },
    {
      label: "zero-information prompts",
      html: estimateHtml(m.zero_info_prompt_fraction, true),
      note: `${s.zero_info_prompts.count} prompts`,
    },
  ];
  if (m.task_bits)
    cards.push({ label: "task-relevant I([Y];S|Q)", html: estimateHtml(m.task_bits), note: "" });
  if (m.intra_class_bits)
    cards.push({ label: "intra-class I(Y;S|[Y],Q)", html: estimateHtml(m.intra_class_bits), note: "" });
  if (m.efficiency) cards.push({ label: "efficiency \u03b7", html: estimateHtml(m.efficiency), note: "" });
  if (s.fidelity)
    cards.push({ label: "fidelity I(gold;S|Q)", html: estimateHtml(s.fidelity.gold_bits), note: "" });
  return htmlCards(cards.map((c) => ({ ...c, note: c.note || undefined })));
}

function signalSection(doc: AnalysisDocument, s: SignalAnalysis, index: number): string {
  const parts = [
    `<p class="ol-muted">${escapeHtml(`${s.kind} signal, ${s.levels} levels`)}</p>`,
    signalCards(doc, s),
  ];
  const charted = chartedChannels(s).length;
  const channels = channelChart(doc, s, index);
  const figures = [
    passRateChart(s, index),
    bitsChart(doc, s, index),
    channels &&
      htmlFigure(
        channels,
        charted < s.hacking_channels.length
          ? `The ${charted} largest of ${s.hacking_channels.length} features; the table below lists every feature.`
          : undefined,
      ),
  ].filter((f): f is string => f !== null);
  if (figures.length > 0) parts.push(htmlChartGrid(figures));
  if (s.per_iteration.length > 0)
    parts.push("<h3>Per iteration</h3>", htmlReportTable(iterationTable(doc, s)));
  if (s.zero_info_prompts.count > 0) {
    const z = s.zero_info_prompts;
    parts.push(
      "<h3>Zero-information prompts</h3>",
      `<p>${z.count} prompts got one signal value on every sample and inject no bits${
        s.kind === "binary" ? ` (${z.always_pass} always pass, ${z.always_fail} always fail)` : ""
      }. Examples: ${z.examples.map((e) => `<code>${escapeHtml(e)}</code>`).join(", ")}.</p>`,
    );
  }
  if (s.hacking_channels.length > 0) {
    parts.push("<h3>Reward-hacking channels</h3>", htmlReportTable(channelTable(doc, s)));
  }
  const fidelity = fidelityTable(doc, s);
  if (fidelity) parts.push("<h3>Fidelity to gold</h3>", htmlReportTable(fidelity));
  const drift = driftTable(doc, s);
  if (drift && s.drift) {
    parts.push(
      "<h3>Drift</h3>",
      htmlReportTable(drift),
      `<p>${escapeHtml(
        `Slope ${formatNumber(s.drift.slope)} ${doc.unit}/iteration; ${
          s.drift.rising
            ? "rising: the signal is becoming predictable from the student's own view."
            : "not rising."
        }`,
      )}</p>`,
    );
  }
  if (s.inconsistent_duplicate_fraction !== null && s.inconsistent_duplicate_fraction > 0) {
    parts.push(
      `<p>${escapeHtml(`Repeated (prompt, response) pairs with a different signal: ${formatPercent(s.inconsistent_duplicate_fraction)}.`)}</p>`,
    );
  }
  return htmlSection(`Signal: ${s.name}`, parts.join("\n"), `signal-${index}`);
}

function diversitySection(doc: AnalysisDocument): string {
  const its = doc.diversity.per_iteration;
  const charts: string[] = [];
  if (its.length > 0) {
    charts.push(
      lineChart({
        id: "ol-diversity-entropy",
        title: "Class entropy per iteration",
        series: [{ name: "H([Y]|Q)", points: its.map((d) => point(d.iteration, d.class_entropy)) }],
        xLabel: "iteration",
        yLabel: doc.unit,
      }),
      lineChart({
        id: "ol-diversity-duplicates",
        title: "Duplicates per iteration",
        series: [
          { name: "exact duplicates", points: its.map((d) => point(d.iteration, d.duplicate_rate, 100)) },
          { name: "near-duplicates", points: its.map((d) => point(d.iteration, d.near_duplicate_rate, 100)) },
        ],
        xLabel: "iteration",
        yLabel: "% of records",
        yMax: 100,
      }),
      lineChart({
        id: "ol-diversity-classes",
        title: "Classes per iteration",
        series: [
          { name: "distinct", points: its.map((d) => ({ x: d.iteration, y: d.distinct_classes })) },
          { name: "new", points: its.map((d) => ({ x: d.iteration, y: d.new_classes })) },
          {
            name: "Chao1 estimate",
            points: its.map((d) => ({ x: d.iteration, y: d.chao1?.value ?? null })),
            dashed: true,
          },
        ],
        xLabel: "iteration",
        yLabel: "(prompt, class) pairs",
      }),
    );
  }
  const t = doc.diversity.trend;
  const trend = `Trend per iteration: class entropy ${formatNumber(t.class_entropy_slope)} ${doc.unit}, duplicates ${formatNumber(
    t.duplicate_rate_slope,
  )}, near-duplicates ${formatNumber(t.near_duplicate_rate_slope)}; ${t.collapsing ? "collapsing." : "not collapsing."}`;
  return htmlSection(
    "Diversity",
    [
      charts.length > 0 ? htmlChartGrid(charts.map((c) => htmlFigure(c))) : "",
      its.length > 0 ? htmlReportTable(diversityTable(doc)) : "",
      `<p>${escapeHtml(trend)}</p>`,
    ].join("\n"),
    "diversity",
  );
}

/**
 * Renders the analysis document as one self-contained HTML page (inline CSS and SVG, no scripts,
 * no network).
 * @example writeFileSync("report.html", renderHtml(doc))
 */
export function renderHtml(doc: AnalysisDocument, options: { footer?: string } = {}): string {
  const summary = htmlReportTable(signalSummaryTable(doc), {
    rowLinks: doc.signals.map((_, i) => `signal-${i}`),
  });
  const sections = [
    htmlSection("Findings", htmlFindings(orderedFindings(doc)), "findings"),
    htmlSection("Signals", `${summary}\n<p class="ol-muted">${escapeHtml(methodNote(doc))}</p>`, "signals"),
    ...doc.signals.map((s, i) => signalSection(doc, s, i)),
    diversitySection(doc),
  ];
  if (doc.surface_waste) {
    const w = doc.surface_waste;
    sections.push(
      htmlSection(
        "Surface waste",
        `<p>Training on these responses as references spends ${estimateHtml(w.bits)} ${escapeHtml(doc.unit)} per sample on surface form, H(Y|[Y],Q): ${escapeHtml(
          formatNumber(w.surface_forms_per_class.mean),
        )} distinct responses per (prompt, class) on average (max ${w.surface_forms_per_class.max}) over ${w.classes} classes.</p>`,
        "surface-waste",
      ),
    );
  }
  const missing = missingFieldTable(doc);
  const skipped = doc.inputs.skipped_examples.map(
    (l) => `<li><code>${escapeHtml(`${l.file}:${l.line}`)}</code> ${escapeHtml(l.message)}</li>`,
  );
  sections.push(
    htmlSection(
      "Inputs",
      [
        htmlReportTable(inputTable(doc)),
        missing ? htmlReportTable(missing) : "",
        skipped.length > 0 ? `<p>Skipped lines:</p><ul>${skipped.join("")}</ul>` : "",
      ].join("\n"),
      "inputs",
    ),
  );
  const contents = [
    { id: "findings", title: `Findings (${doc.findings.length})` },
    { id: "signals", title: "Signals" },
    ...doc.signals.map((s, i) => ({ id: `signal-${i}`, title: s.name })),
    { id: "diversity", title: "Diversity" },
    ...(doc.surface_waste ? [{ id: "surface-waste", title: "Surface waste" }] : []),
    { id: "inputs", title: "Inputs" },
  ];
  return htmlPage({
    title: "openloop analysis",
    subtitle: inputSummary(doc),
    body: htmlNav(contents) + sections.join("\n"),
    footer:
      options.footer ?? `${doc.schema} \u00b7 seed ${doc.settings.seed} \u00b7 generated by openloop analyze`,
  });
}
