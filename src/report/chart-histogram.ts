/**
 * Histogram over a continuous axis (e.g. the distribution of per-prompt pass rates), with
 * emphasised bins (e.g. prompts at pass rate 0 or 1 that inject no information). A bin with
 * `lo === hi` is a point mass, drawn as a narrow bar: just outside the range when it sits on
 * one of its ends (so it never hides the neighbouring bin), centred on its value otherwise.
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
  type PlotArea,
  slugId,
  textWidth,
  xAxis,
  yAxis,
} from "./svg.js";

/** One bin: the half-open interval [lo, hi) (the last bin is closed) and its count. */
export interface HistogramChartBin {
  lo: number;
  hi: number;
  count: number;
}

/** Options of {@link histogramChart}. */
export interface HistogramOptions extends ChartBase {
  bins: HistogramChartBin[];
  xLabel?: string;
  yLabel?: string;
  color?: string;
  /** Bins to draw in the emphasis colour, by index. */
  emphasis?: boolean[];
  /** Legend entries for the normal and the emphasised bins. */
  legendLabels?: [string, string];
}

const COLOR = "#0072B2";
const EMPHASIS = "#D55E00";
const POINT_MASS_WIDTH = 10;
const EDGE = POINT_MASS_WIDTH + 3;

/**
 * Counts values into `bins` equal-width bins over [min, max] (defaults: the data's range);
 * the value `max` falls in the last bin, values outside are ignored.
 * @example binValues([0, 0.5, 1], { bins: 2, min: 0, max: 1 }) // counts [1, 2]
 */
export function binValues(
  values: ArrayLike<number>,
  options: { bins: number; min?: number; max?: number },
): HistogramChartBin[] {
  const data = Array.from(values).filter(Number.isFinite);
  const min = options.min ?? (data.length ? Math.min(...data) : 0);
  const max = options.max ?? (data.length ? Math.max(...data) : 1);
  const n = Math.max(1, Math.floor(options.bins));
  const span = max - min || 1;
  // Edges as min + i * span / n, so 0.6 is the exact lower edge of bin 3 of 5 over [0, 1].
  const edge = (i: number) => (i === n ? max : min + (i * span) / n);
  const bins = Array.from({ length: n }, (_, i) => ({ lo: edge(i), hi: edge(i + 1), count: 0 }));
  for (const v of data) {
    if (v < min || v > max) continue;
    let i = Math.min(n - 1, Math.floor(((v - min) * n) / span));
    while (i > 0 && v < bins[i].lo) i--;
    while (i < n - 1 && v >= bins[i + 1].lo) i++;
    bins[i].count++;
  }
  return bins;
}

/** Legend entries for the normal and the emphasised bins, when labelled. */
function legendItems(options: HistogramOptions): LegendItem[] {
  if (!options.legendLabels) return [];
  return [
    { name: options.legendLabels[0], color: options.color ?? COLOR, kind: "box" },
    { name: options.legendLabels[1], color: EMPHASIS, kind: "box" },
  ];
}

/** The geometry of a histogram: plot area and the two scales. */
export function histogramGeometry(options: HistogramOptions): {
  plot: PlotArea;
  x: (v: number) => number;
  y: (v: number) => number;
  xTicks: ReturnType<typeof niceTicks>;
  yTicks: ReturnType<typeof niceTicks>;
  /** the ends of the value axis */
  lo: number;
  hi: number;
} {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const los = options.bins.map((b) => b.lo);
  const his = options.bins.map((b) => b.hi);
  const lo = los.length ? Math.min(...los) : 0;
  const hi = his.length ? Math.max(...his) : 1;
  const xTicks = niceTicks(lo, hi, 6);
  const yTicks = niceTicks(0, Math.max(1, ...options.bins.map((b) => b.count)), 5, { integer: true });
  const labelWidth = Math.max(...yTicks.ticks.map((t) => textWidth(String(t))));
  const top = 30 + legendHeight(legendRows(legendItems(options), width - 24)) + 10;
  const plot: PlotArea = {
    left: Math.ceil(labelWidth) + (options.yLabel ? 34 : 16),
    top,
    right: width - 18,
    bottom: height - (options.xLabel ? 44 : 28),
  };
  const pad = lo === hi ? 0.5 : 0;
  const inner: PlotArea = {
    ...plot,
    left: plot.left + EDGE,
    right: plot.right - EDGE,
  };
  return {
    plot,
    x: linearScale([lo - pad, hi + pad], [inner.left, inner.right]),
    y: linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]),
    xTicks: { ...xTicks, ticks: xTicks.ticks.filter((t) => t >= lo - pad && t <= hi + pad) },
    yTicks,
    lo: lo - pad,
    hi: hi + pad,
  };
}

/**
 * Renders a histogram as an inline `<svg>` string.
 * @example histogramChart({ title: "Pass rates", bins: binValues(rates, { bins: 10, min: 0, max: 1 }) })
 */
export function histogramChart(options: HistogramOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const id = options.id ?? slugId(options.title);
  const g = histogramGeometry(options);
  const { plot } = g;
  let body = yAxis(g.yTicks, g.y, plot, options.yLabel) + xAxis(g.xTicks, g.x, plot, options.xLabel);
  const total = options.bins.reduce((sum, b) => sum + b.count, 0);
  options.bins.forEach((bin, i) => {
    const pointMass = bin.hi <= bin.lo;
    const centre = g.x(bin.lo);
    const shift = !pointMass
      ? 0
      : bin.lo === g.lo
        ? -POINT_MASS_WIDTH / 2 - 1
        : bin.lo === g.hi
          ? POINT_MASS_WIDTH / 2 + 1
          : 0;
    const x0 = pointMass ? centre + shift - POINT_MASS_WIDTH / 2 : g.x(bin.lo) + 0.5;
    const x1 = pointMass ? centre + shift + POINT_MASS_WIDTH / 2 : g.x(bin.hi) - 0.5;
    const y = g.y(bin.count);
    const range = pointMass
      ? `${bin.lo}`
      : `[${bin.lo}, ${bin.hi}${i === options.bins.length - 1 ? "]" : ")"}`;
    body += el(
      "rect",
      {
        x: x0,
        y,
        width: Math.max(1, x1 - x0),
        height: Math.max(0, plot.bottom - y),
        fill: options.emphasis?.[i] ? EMPHASIS : (options.color ?? COLOR),
        class: `ol-bar ol-mark${options.emphasis?.[i] ? " ol-emphasis" : ""}`,
        "data-lo": bin.lo,
        "data-hi": bin.hi,
        "data-count": bin.count,
      },
      el("title", {}, escapeHtml(`${range}: ${bin.count}`)),
    );
  });
  body += legend(legendItems(options), 12, 44, width - 24);
  if (total === 0) body += emptyNote(plot, "no data");
  const description =
    options.description ??
    `Histogram of ${options.xLabel ?? "values"}: ${total} in ${options.bins.length} bins.`;
  return chartDocument({ id, title: options.title, description, width, height, kind: "histogram", body });
}
