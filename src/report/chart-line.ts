/**
 * Line chart with several series, optional confidence bands (lo/hi per point) and points that
 * carry a hover title; gaps (non-finite y) break the line. Used for bits per iteration and
 * diversity over iterations.
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
  textWidth,
  xAxis,
  yAxis,
} from "./svg.js";

/** One point; `lo`/`hi` bound its confidence interval. A non-finite `y` is a gap. */
export interface LinePoint {
  x: number;
  y: number | null;
  lo?: number | null;
  hi?: number | null;
}

/** One named series. */
export interface LineSeries {
  name: string;
  points: LinePoint[];
  color?: string;
  dashed?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartBase {
  series: LineSeries[];
  xLabel?: string;
  yLabel?: string;
  /** Force the value axis to include these bounds (by default it includes 0). */
  yMin?: number;
  yMax?: number;
  /** Include 0 on the value axis (default true). */
  includeZero?: boolean;
  /** Formats values in point titles (default: 3 significant digits). */
  format?: (value: number) => string;
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** Splits points into runs of consecutive points that satisfy `keep`. */
function runs(points: LinePoint[], keep: (p: LinePoint) => boolean): LinePoint[][] {
  const out: LinePoint[][] = [];
  let current: LinePoint[] = [];
  for (const p of points) {
    if (keep(p)) current.push(p);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Legend entries: one per series, none for a single unnamed series. */
function legendItems(options: LineChartOptions): LegendItem[] {
  if (options.series.length === 1 && !options.series[0].name) return [];
  return options.series.map((s, i) => ({
    name: s.name,
    color: s.color ?? seriesColor(i),
    kind: "line",
    dashed: s.dashed,
  }));
}

/** The geometry shared by the chart and its tests: plot area and the two scales. */
export interface LineGeometry {
  plot: PlotArea;
  x: (v: number) => number;
  y: (v: number) => number;
}

/** Computes the plot area and scales of a line chart for the given options. */
export function lineGeometry(options: LineChartOptions): LineGeometry & {
  xTicks: ReturnType<typeof niceTicks>;
  yTicks: ReturnType<typeof niceTicks>;
} {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const points = options.series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x).filter(finite);
  const ys = points.flatMap((p) => [p.y, p.lo, p.hi]).filter(finite);
  if (options.includeZero !== false) ys.push(0);
  if (finite(options.yMin)) ys.push(options.yMin);
  if (finite(options.yMax)) ys.push(options.yMax);
  const integer = xs.length > 0 && xs.every(Number.isInteger);
  const xTicks = niceTicks(Math.min(...xs, Infinity), Math.max(...xs, -Infinity), 6, { integer });
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys), 5);
  const labelWidth = Math.max(...yTicks.ticks.map((t) => textWidth(String(t))));
  const top = 30 + legendHeight(legendRows(legendItems(options), width - 24)) + 10;
  const plot: PlotArea = {
    left: Math.ceil(labelWidth) + (options.yLabel ? 34 : 16),
    top,
    right: width - 18,
    bottom: height - (options.xLabel ? 44 : 28),
  };
  const xDomain: [number, number] =
    xs.length > 0 && Math.min(...xs) === Math.max(...xs)
      ? [xTicks.min, xTicks.max]
      : [Math.min(...xs), Math.max(...xs)];
  return {
    plot,
    x: linearScale(xs.length > 0 ? xDomain : [0, 1], [plot.left, plot.right]),
    y: linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]),
    xTicks: { ...xTicks, ticks: xTicks.ticks.filter((t) => t >= xDomain[0] && t <= xDomain[1]) },
    yTicks,
  };
}

/**
 * Renders a line chart as an inline `<svg>` string.
 * @example lineChart({ title: "Bits per iteration", series: [{ name: "verifier", points: [{ x: 0, y: 0.8, lo: 0.7, hi: 0.9 }] }] })
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const id = options.id ?? slugId(options.title);
  const format = options.format ?? ((v: number) => String(Number(v.toPrecision(3))));
  const g = lineGeometry(options);
  const { plot } = g;
  let body = yAxis(g.yTicks, g.y, plot, options.yLabel) + xAxis(g.xTicks, g.x, plot, options.xLabel);
  let marks = 0;
  // Dense series get smaller dots so the line stays readable.
  const longest = Math.max(0, ...options.series.map((s) => s.points.length));
  const radius = longest > 30 ? 2 : 3.5;
  options.series.forEach((series, index) => {
    const color = series.color ?? seriesColor(index);
    let bands = "";
    for (const run of runs(series.points, (p) => finite(p.x) && finite(p.lo) && finite(p.hi))) {
      const upper = run.map((p) => `${num(g.x(p.x))},${num(g.y(p.hi as number))}`);
      const lower = run.map((p) => `${num(g.x(p.x))},${num(g.y(p.lo as number))}`).reverse();
      bands += el("path", {
        d: `M${upper.join("L")}L${lower.join("L")}Z`,
        fill: color,
        "fill-opacity": 0.16,
        class: "ol-band",
      });
    }
    let lines = "";
    for (const run of runs(series.points, (p) => finite(p.x) && finite(p.y))) {
      lines += el("path", {
        d: `M${run.map((p) => `${num(g.x(p.x))},${num(g.y(p.y as number))}`).join("L")}`,
        fill: "none",
        stroke: color,
        "stroke-width": 2,
        "stroke-linejoin": "round",
        "stroke-dasharray": series.dashed ? "6 4" : undefined,
        class: "ol-line",
      });
    }
    let dots = "";
    for (const p of series.points) {
      if (!finite(p.x) || !finite(p.y)) continue;
      const ci = finite(p.lo) && finite(p.hi) ? ` [${format(p.lo)}, ${format(p.hi)}]` : "";
      dots += el(
        "circle",
        {
          cx: g.x(p.x),
          cy: g.y(p.y),
          r: radius,
          fill: color,
          class: "ol-point ol-mark",
          "data-series": index,
          "data-x": p.x,
          "data-y": p.y,
        },
        el("title", {}, escapeHtml(`${series.name}: ${format(p.y)}${ci} at ${p.x}`)),
      );
      marks++;
    }
    body += el("g", { class: "ol-series", "data-name": series.name }, bands + lines + dots);
  });
  body += legend(legendItems(options), 12, 44, width - 24);
  if (marks === 0) body += emptyNote(plot, "no data");
  const description =
    options.description ??
    `Line chart of ${options.yLabel ?? "value"} against ${options.xLabel ?? "x"}: ${options.series
      .map((s) => s.name)
      .join(
        ", ",
      )}${options.series.some((s) => s.points.some((p) => finite(p.lo))) ? ", with confidence bands" : ""}.`;
  return chartDocument({ id, title: options.title, description, width, height, kind: "line", body });
}
