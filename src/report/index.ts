/**
 * Reports: terminal, Markdown and self-contained HTML renderings of an analysis, and the generic
 * pieces other reports reuse (inline-SVG charts, the HTML page shell and elements, Markdown
 * tables, number formatting). This file is the explicit list of what other folders may use.
 */
export type { BarChartOptions, BarSeries, BarValue } from "./chart-bar.js";
export { barChart, barGeometry } from "./chart-bar.js";
export type { HistogramChartBin, HistogramOptions } from "./chart-histogram.js";
export { binValues, histogramChart, histogramGeometry } from "./chart-histogram.js";
export type { AxisScale, LineChartOptions, LinePoint, LineSeries } from "./chart-line.js";
export { lineChart, lineGeometry } from "./chart-line.js";
export { escapeHtml, escapeMarkdown } from "./escape.js";
export type { FormattedEstimate } from "./format.js";
export { estimateText, formatEstimate, formatNumber, formatPercent, formatPValue } from "./format.js";
export { htmlReportTable, renderHtml } from "./html.js";
export type { HtmlCell } from "./html-elements.js";
export {
  htmlBadge,
  htmlCards,
  htmlChartGrid,
  htmlFigure,
  htmlFindings,
  htmlNav,
  htmlSection,
  htmlTable,
} from "./html-elements.js";
export type { HtmlPageOptions } from "./html-page.js";
export { htmlPage, PAGE_CSS } from "./html-page.js";
export { markdownReportTable, renderMarkdown } from "./markdown.js";
export type { MarkdownCell } from "./markdown-table.js";
export { markdownTable } from "./markdown-table.js";
export type { ReportCell, ReportTable } from "./report-tables.js";
export { formatTick, linearScale, type NiceTicks, niceTicks } from "./scale.js";
export type { Attributes, ChartBase, LegendItem, PlotArea } from "./svg.js";
export {
  chartDocument,
  el as svgElement,
  legend as svgLegend,
  num as svgNumber,
  PALETTE,
  seriesColor,
  slugId,
  svgFile,
  text as svgText,
  xAxis as svgXAxis,
  yAxis as svgYAxis,
} from "./svg.js";
export type { TerminalStyle } from "./terminal.js";
export { renderTerminal, textTable } from "./terminal.js";
export type { ReportTargets } from "./write.js";
export { analysisJson, writeReports } from "./write.js";
