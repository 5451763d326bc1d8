/**
 * Horizontal grouped bar chart: one row per category (long names such as feature names stay
 * readable), one bar per series inside a row, optional confidence intervals as error bars, and
 * emphasised categories (e.g. flagged hacking channels). The value axis includes zero.
 */
import { escapeHtml } from "./escape.js";
import { linearScale, niceTicks } from "./scale.js";
import {
  type ChartBase,
  chartDocument,
  el,
  emptyNote,
  type LegendItem,
  legend,
  legendHeight,
  legendRows,
  num,
  type PlotArea,
  seriesColor,
  slugId,
  text,
  textWidth,
  truncate,
  xAxis,
} from "./svg.js";

/** One bar's value with an optional confidence interval. `null` draws no bar. */
export interface BarValue {
  value: number;
  lo?: number | null;
  hi?: number | null;
}

/** One series: a value for each category, in category order. */
export interface BarSeries {
  name: string;
  values: (BarValue | null)[];
  color?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends ChartBase {
  categories: string[];
  series: BarSeries[];
  /** Label of the value axis. */
  valueLabel?: string;
  /** Categories to emphasise (bold label with a marker), by index. */
  emphasis?: boolean[];
  /** Meaning of the emphasis marker, shown in the legend (e.g. "significant"). */
  emphasisLabel?: string;
  /** Formats the value printed at the end of each bar (default: 3 significant digits). */
  format?: (value: number) => string;
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

const BAR = 16;
const EMPHASIS = "#D55E00";
const GAP = 12;

/** Legend entries: the series (when more than one) and the emphasis marker. */
function legendItems(options: BarChartOptions): LegendItem[] {
  const items: LegendItem[] =
    options.series.length > 1
      ? options.series.map((s, i) => ({ name: s.name, color: s.color ?? seriesColor(i), kind: "box" }))
      : [];
  if (options.emphasisLabel) items.push({ name: options.emphasisLabel, color: EMPHASIS, kind: "dot" });
  return items;
}

/** The geometry of a bar chart: plot area, value scale and the vertical band of each row. */
export function barGeometry(options: BarChartOptions): {
  width: number;
  height: number;
  plot: PlotArea;
  x: (v: number) => number;
  ticks: ReturnType<typeof niceTicks>;
  rowTop: (category: number) => number;
  barHeight: number;
} {
  const width = options.width ?? 560;
  const groups = Math.max(1, options.series.length);
  const rowHeight = groups * BAR + GAP;
  const values = options.series.flatMap((s) => s.values.flatMap((v) => (v ? [v.value, v.lo, v.hi] : [])));
  const all = [0, ...values.filter(finite)];
  const ticks = niceTicks(Math.min(...all), Math.max(...all), 5);
  const labelWidth = Math.min(200, Math.max(40, ...options.categories.map((c) => textWidth(c) + 28)));
  const top = 30 + legendHeight(legendRows(legendItems(options), width - 24)) + 10;
  const plotHeight = Math.max(1, options.categories.length) * rowHeight;
  const bottom = top + plotHeight;
  const height = options.height ?? bottom + (options.valueLabel ? 44 : 28);
  const plot: PlotArea = { left: Math.ceil(labelWidth) + 12, top, right: width - 56, bottom };
  return {
    width,
    height,
    plot,
    x: linearScale([ticks.min, ticks.max], [plot.left, plot.right]),
    ticks,
    rowTop: (category) => top + category * rowHeight + GAP / 2,
    barHeight: BAR - 3,
  };
}

/**
 * Renders a horizontal grouped bar chart as an inline `<svg>` string.
 * @example barChart({ title: "Hacking channels", categories: ["length"], series: [{ name: "bits", values: [{ value: 0.2, lo: 0.1, hi: 0.3 }] }] })
 */
export function barChart(options: BarChartOptions): string {
  const id = options.id ?? slugId(options.title);
  const format = options.format ?? ((v: number) => String(Number(v.toPrecision(3))));
  const g = barGeometry(options);
  const { plot } = g;
  // Vertical grid lines with the value axis at the bottom.
  let body = "";
  for (const tick of g.ticks.ticks) {
    body += el("line", {
      x1: g.x(tick),
      x2: g.x(tick),
      y1: plot.top,
      y2: plot.bottom,
      stroke: "currentColor",
      "stroke-opacity": tick === 0 ? 0.45 : 0.12,
      class: "ol-grid",
    });
  }
  body += xAxis(g.ticks, g.x, plot, options.valueLabel);
  let marks = 0;
  options.categories.forEach((category, c) => {
    const rowTop = g.rowTop(c);
    const emphasised = options.emphasis?.[c] === true;
    const labelY = rowTop + (options.series.length * BAR) / 2 + 4;
    const label = truncate(category, plot.left - 40);
    body += el(
      "text",
      {
        x: plot.left - 18,
        y: labelY,
        "text-anchor": "end",
        fill: "currentColor",
        "font-weight": emphasised ? 700 : undefined,
        class: "ol-category",
      },
      (label === category ? "" : el("title", {}, escapeHtml(category))) + escapeHtml(label),
    );
    if (emphasised) {
      body += el("circle", {
        cx: plot.left - 9,
        cy: labelY - 4,
        r: 3.5,
        fill: EMPHASIS,
        class: "ol-emphasis",
      });
    }
    options.series.forEach((series, s) => {
      const v = series.values[c];
      if (!v || !finite(v.value)) return;
      const color = series.color ?? seriesColor(s);
      const y = rowTop + s * BAR;
      const x0 = g.x(Math.min(0, v.value));
      const x1 = g.x(Math.max(0, v.value));
      const ci = finite(v.lo) && finite(v.hi) ? ` [${format(v.lo)}, ${format(v.hi)}]` : "";
      body += el(
        "rect",
        {
          x: x0,
          y,
          width: Math.max(0, x1 - x0),
          height: g.barHeight,
          rx: 2,
          fill: color,
          class: "ol-bar ol-mark",
          "data-category": c,
          "data-series": s,
          "data-value": v.value,
        },
        el("title", {}, escapeHtml(`${category} \u2014 ${series.name}: ${format(v.value)}${ci}`)),
      );
      let end = x1;
      if (finite(v.lo) && finite(v.hi)) {
        const cy = y + g.barHeight / 2;
        const [a, b] = [g.x(v.lo), g.x(v.hi)];
        end = Math.max(end, a, b);
        body += el("path", {
          d: `M${num(a)},${num(cy)}H${num(b)}M${num(a)},${num(cy - 4)}V${num(cy + 4)}M${num(b)},${num(cy - 4)}V${num(cy + 4)}`,
          stroke: "currentColor",
          "stroke-opacity": 0.75,
          "stroke-width": 1.3,
          fill: "none",
          class: "ol-errorbar",
        });
      }
      body += text(format(v.value), {
        x: end + 5,
        y: y + g.barHeight - 2,
        "font-size": 11,
        "fill-opacity": 0.8,
        class: "ol-value",
      });
      marks++;
    });
  });
  body += legend(legendItems(options), 12, 44, g.width - 24);
  if (marks === 0) body += emptyNote(plot, "no data");
  const description =
    options.description ??
    `Bar chart of ${options.valueLabel ?? "value"} for ${options.categories.length} categories` +
      (options.series.length > 1
        ? ` and ${options.series.length} series: ${options.series.map((s) => s.name).join(", ")}.`
        : ".");
  return chartDocument({
    id,
    title: options.title,
    description,
    width: g.width,
    height: g.height,
    kind: "bar",
    body,
  });
}
