/**
 * SVG primitives shared by the charts: elements with escaped attributes, rounded coordinates,
 * the chart document with an accessible title and description, axes with nice ticks, a legend
 * and the colour palette. Text and axes use `currentColor`, so a chart follows the page's light
 * or dark colour scheme; every output is a deterministic function of its input.
 */
import { escapeHtml } from "./escape.js";
import { formatTick, type NiceTicks } from "./scale.js";

/** Attribute values; `undefined` and `false` omit the attribute. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * Series colours: the Okabe-Ito palette, distinguishable with colour-vision deficiencies and
 * legible on light and dark backgrounds.
 */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D31"];

/** The colour of series `index`, cycling through the palette. */
export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** Rounds a coordinate to 0.01 px and prints it without trailing zeros or a negative zero. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/**
 * One SVG/HTML element. Attribute values are escaped; `children` is markup and is not.
 * @example el("rect", { x: 1, width: 2 }) // '<rect x="1" width="2"/>'
 */
export function el(tag: string, attributes: Attributes = {}, children?: string): string {
  let attrs = "";
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    // Geometry is rounded to 0.01 px; data-* attributes keep the exact value.
    const text =
      value === true
        ? ""
        : typeof value === "number"
          ? name.startsWith("data-")
            ? String(value)
            : num(value)
          : escapeHtml(value);
    attrs += value === true ? ` ${name}` : ` ${name}="${text}"`;
  }
  return children === undefined ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${children}</${tag}>`;
}

/** A text element with escaped content. */
export function text(content: string, attributes: Attributes = {}): string {
  return el("text", { fill: "currentColor", ...attributes }, escapeHtml(content));
}

/** A stable element id from a title: lowercase letters, digits and dashes, prefixed `ol-`. */
export function slugId(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return `ol-${slug || "chart"}`;
}

/** Approximate width in pixels of `content` in a proportional sans-serif font. */
export function textWidth(content: string, fontSize = 12): number {
  return content.length * fontSize * 0.58;
}

/** Shortens `content` to at most `maxWidth` pixels, ending with an ellipsis when cut. */
export function truncate(content: string, maxWidth: number, fontSize = 12): string {
  const max = Math.max(1, Math.floor(maxWidth / (fontSize * 0.58)));
  return content.length <= max ? content : `${content.slice(0, Math.max(1, max - 1))}\u2026`;
}

/** The plotting area inside a chart, in pixels. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Options every chart accepts. */
export interface ChartBase {
  /** Shown at the top of the chart and read by screen readers. */
  title: string;
  /** A longer accessible description (defaults to a summary of the data). */
  description?: string;
  /** Element id prefix; defaults to a slug of the title (pass one when titles repeat on a page). */
  id?: string;
  width?: number;
  height?: number;
}

/**
 * The outer `<svg>` element: `role="img"` labelled by its `<title>` and `<desc>`, the visible
 * title, and the chart body.
 */
export function chartDocument(options: {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  kind: string;
  body: string;
}): string {
  const { id, width, height } = options;
  const head =
    el("title", { id: `${id}-title` }, escapeHtml(options.title)) +
    el("desc", { id: `${id}-desc` }, escapeHtml(options.description)) +
    text(truncate(options.title, width - 24, 14), {
      x: 12,
      y: 20,
      "font-size": 14,
      "font-weight": 600,
      class: "ol-chart-title",
    });
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width,
      height,
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
      id,
      class: `ol-chart ol-chart-${options.kind}`,
      "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      "font-size": 12,
    },
    head + options.body,
  );
}

/** Horizontal grid lines and labels for a value axis on the left. */
export function yAxis(
  ticks: NiceTicks,
  scale: (v: number) => number,
  plot: PlotArea,
  label?: string,
  format: (v: number) => string = (v) => formatTick(v, ticks.step),
): string {
  let out = "";
  for (const tick of ticks.ticks) {
    const y = scale(tick);
    out += el("line", {
      x1: plot.left,
      x2: plot.right,
      y1: y,
      y2: y,
      stroke: "currentColor",
      "stroke-opacity": tick === 0 ? 0.45 : 0.12,
      class: "ol-grid",
    });
    out += text(format(tick), { x: plot.left - 6, y: y + 4, "text-anchor": "end", class: "ol-tick" });
  }
  if (label) {
    const cy = (plot.top + plot.bottom) / 2;
    out += text(label, {
      x: 14,
      y: cy,
      transform: `rotate(-90 14 ${num(cy)})`,
      "text-anchor": "middle",
      class: "ol-axis-label",
    });
  }
  return el("g", { class: "ol-axis ol-axis-y" }, out);
}

/** A baseline with tick marks and labels for an axis along the bottom. */
export function xAxis(
  ticks: NiceTicks,
  scale: (v: number) => number,
  plot: PlotArea,
  label?: string,
  format: (v: number) => string = (v) => formatTick(v, ticks.step),
): string {
  let out = el("line", {
    x1: plot.left,
    x2: plot.right,
    y1: plot.bottom,
    y2: plot.bottom,
    stroke: "currentColor",
    "stroke-opacity": 0.45,
  });
  for (const tick of ticks.ticks) {
    const x = scale(tick);
    out += el("line", {
      x1: x,
      x2: x,
      y1: plot.bottom,
      y2: plot.bottom + 4,
      stroke: "currentColor",
      "stroke-opacity": 0.45,
    });
    out += text(format(tick), { x, y: plot.bottom + 17, "text-anchor": "middle", class: "ol-tick" });
  }
  if (label) {
    out += text(label, {
      x: (plot.left + plot.right) / 2,
      y: plot.bottom + 34,
      "text-anchor": "middle",
      class: "ol-axis-label",
    });
  }
  return el("g", { class: "ol-axis ol-axis-x" }, out);
}

/** One legend entry: a short line (line series), a square (bars) or a dot (markers). */
export interface LegendItem {
  name: string;
  color: string;
  kind: "line" | "box" | "dot";
  dashed?: boolean;
}

const LEGEND_ROW = 18;

/** The width of one legend entry: its mark, its label and the gap after it. */
function legendItemWidth(item: LegendItem, maxWidth: number): number {
  return 21 + textWidth(truncate(item.name, maxWidth - 40)) + 16;
}

/** How many rows a legend needs when wrapped at `maxWidth` pixels (0 for no items). */
export function legendRows(items: LegendItem[], maxWidth: number): number {
  let rows = items.length > 0 ? 1 : 0;
  let used = 0;
  for (const item of items) {
    const w = legendItemWidth(item, maxWidth);
    if (used > 0 && used + w > maxWidth) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

/** The vertical space a legend of `rows` rows takes under the title. */
export function legendHeight(rows: number): number {
  return rows * LEGEND_ROW;
}

/** A legend whose first row's baseline is at (x, y), wrapping at `maxWidth` pixels. */
export function legend(items: LegendItem[], x: number, y: number, maxWidth: number): string {
  let out = "";
  let cx = x;
  let cy = y;
  for (const item of items) {
    const w = legendItemWidth(item, maxWidth);
    if (cx > x && cx - x + w > maxWidth) {
      cx = x;
      cy += LEGEND_ROW;
    }
    const label = truncate(item.name, maxWidth - 40);
    const mark =
      item.kind === "line"
        ? el("line", {
            x1: cx,
            x2: cx + 16,
            y1: cy - 4,
            y2: cy - 4,
            stroke: item.color,
            "stroke-width": 2.5,
            "stroke-dasharray": item.dashed ? "5 3" : undefined,
          })
        : item.kind === "dot"
          ? el("circle", { cx: cx + 8, cy: cy - 4, r: 4, fill: item.color })
          : el("rect", { x: cx + 3, y: cy - 10, width: 10, height: 10, rx: 2, fill: item.color });
    out += mark + text(label, { x: cx + 21, y: cy, class: "ol-legend-label" });
    cx += w;
  }
  return el("g", { class: "ol-legend" }, out);
}

/** A centred note inside an empty plot ("no data"). */
export function emptyNote(plot: PlotArea, message: string): string {
  return text(message, {
    x: (plot.left + plot.right) / 2,
    y: (plot.top + plot.bottom) / 2,
    "text-anchor": "middle",
    "fill-opacity": 0.6,
    class: "ol-empty",
  });
}

/**
 * A chart as the content of a standalone `.svg` file: an XML declaration, and a white background
 * with dark text, since outside an HTML page `currentColor` has no page colour to follow.
 * @example writeFileSync("bits.svg", svgFile(lineChart(options)))
 */
export function svgFile(svg: string): string {
  const body = svg.replace(/^<svg /, '<svg color="#1d2127" style="background:#ffffff" ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}
