/**
 * Line chart with several series, optional confidence bands (lo/hi per point) and points that
 * carry a hover title; gaps (non-finite y) break the line. Used for bits per iteration and
 * diversity over iterations.
 */

import { escapeHtml } from "./escape.js";
import { formatTick, linearScale, type NiceTicks, niceTicks } from "./scale.js";
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
  /** Include 0 on the value axis (default true; ignored on a logarithmic axis). */
  includeZero?: boolean;
  /** Scale of each axis (default linear); a logarithmic axis leaves out values <= 0. */
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** Formats values in point titles (default: 3 significant digits). */
  format?: (value: number) => string;
}

/** A linear axis, or a logarithmic one in base 2 (e.g. sizes 1, 2, 4, 8) or 10 (decaying variances). */
export type AxisScale = "linear" | "log2" | "log10";

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** One axis: which values it can show, the transform to its linear space, and its tick labels. */
interface AxisKind {
  valid: (v: number | null | undefined) => v is number;
  transform: (v: number) => number;
  log: boolean;
  label: (t: number, ticks: NiceTicks) => string;
}

function axisKind(scale: AxisScale | undefined): AxisKind {
  if (scale === "log2" || scale === "log10") {
    const base = scale === "log2" ? 2 : 10;
    return {
      valid: (v): v is number => finite(v) && v > 0,
      transform: scale === "log2" ? Math.log2 : Math.log10,
      log: true,
      label: (t) => String(Number((base ** t).toPrecision(6))),
    };
  }
  return { valid: finite, transform: (v) => v, log: false, label: (t, ticks) => formatTick(t, ticks.step) };
}

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
  /** pixel of a data value on each axis */
  x: (v: number) => number;
  y: (v: number) => number;
}

/** Everything the renderer needs: geometry, ticks (in each axis's linear space) and validity. */
interface LineLayout extends LineGeometry {
  xTicks: NiceTicks;
  yTicks: NiceTicks;
  xTick: (t: number) => number;
  yTick: (t: number) => number;
  xKind: AxisKind;
  yKind: AxisKind;
}

/** Computes the plot area and scales of a line chart for the given options. */
export function lineGeometry(options: LineChartOptions): LineLayout {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const xKind = axisKind(options.xScale);
  const yKind = axisKind(options.yScale);
  // Only points the x axis can show take part in the value axis.
  const points = options.series.flatMap((s) => s.points).filter((p) => xKind.valid(p.x));
  const xs = points
    .map((p) => p.x)
    .filter(xKind.valid)
    .map(xKind.transform);
  const ys = points
    .flatMap((p) => [p.y, p.lo, p.hi])
    .filter(yKind.valid)
    .map(yKind.transform);
  if (options.includeZero !== false && !yKind.log) ys.push(0);
  for (const bound of [options.yMin, options.yMax]) if (yKind.valid(bound)) ys.push(yKind.transform(bound));
  const integer = xKind.log || (xs.length > 0 && xs.every(Number.isInteger));
  const xTicks = niceTicks(Math.min(...xs, Infinity), Math.max(...xs, -Infinity), 6, { integer });
  const yTicks = niceTicks(Math.min(...ys, Infinity), Math.max(...ys, -Infinity), 5, { integer: yKind.log });
  const labelWidth = Math.max(...yTicks.ticks.map((t) => textWidth(yKind.label(t, yTicks))));
  const top = 30 + legendHeight(legendRows(legendItems(options), width - 24)) + 10;
  const plot: PlotArea = {
    left: Math.ceil(labelWidth) + (options.yLabel ? 34 : 16),
    top,
    right: width - 18,
    bottom: height - (options.xLabel ? 44 : 28),
  };
  const xDomain: [number, number] =
    xs.length === 0
      ? [0, 1]
      : Math.min(...xs) === Math.max(...xs)
        ? [xTicks.min, xTicks.max]
        : [Math.min(...xs), Math.max(...xs)];
  const xTick = linearScale(xDomain, [plot.left, plot.right]);
  const yTick = linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]);
  return {
    plot,
    x: (v) => xTick(xKind.transform(v)),
    y: (v) => yTick(yKind.transform(v)),
    xTicks: { ...xTicks, ticks: xTicks.ticks.filter((t) => t >= xDomain[0] && t <= xDomain[1]) },
    yTicks,
    xTick,
    yTick,
    xKind,
    yKind,
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
  const { xKind, yKind } = g;
  let body =
    yAxis(g.yTicks, g.yTick, plot, options.yLabel, (t) => yKind.label(t, g.yTicks)) +
    xAxis(g.xTicks, g.xTick, plot, options.xLabel, (t) => xKind.label(t, g.xTicks));
  let marks = 0;
  // Dense series get smaller dots so the line stays readable.
  const longest = Math.max(0, ...options.series.map((s) => s.points.length));
  const radius = longest > 30 ? 2 : 3.5;
  options.series.forEach((series, index) => {
    const color = series.color ?? seriesColor(index);
    let bands = "";
    for (const run of runs(
      series.points,
      (p) => xKind.valid(p.x) && yKind.valid(p.lo) && yKind.valid(p.hi),
    )) {
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
    for (const run of runs(series.points, (p) => xKind.valid(p.x) && yKind.valid(p.y))) {
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
      if (!xKind.valid(p.x) || !yKind.valid(p.y)) continue;
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
