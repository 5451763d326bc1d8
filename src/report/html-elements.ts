/**
 * Small HTML building blocks for report pages: sections, chart figures, tables, metric cards,
 * severity badges and findings. Text arguments are escaped; arguments named `html` are markup.
 */
import { escapeHtml } from "./escape.js";

/** A table cell: plain text (escaped), or markup with `{ html }`; `num` right-aligns it. */
export type HtmlCell = string | number | { html: string; num?: boolean };

function cellHtml(cell: HtmlCell): { html: string; num: boolean } {
  if (typeof cell === "number") return { html: escapeHtml(String(cell)), num: true };
  if (typeof cell === "string") return { html: escapeHtml(cell), num: false };
  return { html: cell.html, num: cell.num === true };
}

/** A titled section with an anchor id. */
export function htmlSection(title: string, html: string, id?: string): string {
  const anchor = id ? ` id="${escapeHtml(id)}"` : "";
  return `<section${anchor}><h2>${escapeHtml(title)}</h2>\n${html}\n</section>`;
}

/** A chart in a figure with an optional caption. */
export function htmlFigure(svg: string, caption?: string): string {
  const cap = caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : "";
  return `<figure class="ol-figure">${svg}${cap}</figure>`;
}

/** A responsive grid of figures. */
export function htmlChartGrid(figures: string[]): string {
  return `<div class="ol-charts">\n${figures.join("\n")}\n</div>`;
}

/**
 * A table; numeric cells (numbers, or `{ html, num: true }`) are right-aligned.
 * @example htmlTable(["feature", "bits"], [["length", 0.21]])
 */
export function htmlTable(headers: string[], rows: HtmlCell[][], caption?: string): string {
  const body = rows.map((row) => row.map(cellHtml));
  const numeric = headers.map((_, i) => body.length > 0 && body.every((r) => r[i]?.num !== false));
  const head = headers
    .map((h, i) => `<th scope="col"${numeric[i] ? ' class="ol-num"' : ""}>${escapeHtml(h)}</th>`)
    .join("");
  const rowsHtml = body
    .map((r) => `<tr>${r.map((c) => `<td${c.num ? ' class="ol-num"' : ""}>${c.html}</td>`).join("")}</tr>`)
    .join("\n");
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<div class="ol-table-wrap"><table class="ol-table">${cap}<thead><tr>${head}</tr></thead>\n<tbody>\n${rowsHtml}\n</tbody></table></div>`;
}

/** The CSS class of a severity (`ol-critical`, `ol-warning`, `ol-info`, `ol-ok`). */
function severityClass(severity: string): string {
  return `ol-${["critical", "warning", "info", "ok"].includes(severity) ? severity : "info"}`;
}

/** A coloured badge naming a severity ("critical", "warning", "info" or "ok"; others look like "info"). */
export function htmlBadge(severity: string): string {
  return `<span class="ol-badge ${severityClass(severity)}">${escapeHtml(severity)}</span>`;
}

/** A list of findings, each with its badge, title, detail and advice. */
export function htmlFindings(
  findings: { severity: string; title: string; detail?: string; advice?: string }[],
): string {
  if (findings.length === 0) return '<p class="ol-muted">No findings.</p>';
  const items = findings.map((f) => {
    const detail = f.detail ? `<div>${escapeHtml(f.detail)}</div>` : "";
    const advice = f.advice ? `<div class="ol-advice">${escapeHtml(f.advice)}</div>` : "";
    return `<li class="ol-finding ${severityClass(f.severity)}">${htmlBadge(f.severity)}<span class="ol-finding-title">${escapeHtml(f.title)}</span>${detail}${advice}</li>`;
  });
  return `<ul class="ol-findings">\n${items.join("\n")}\n</ul>`;
}

/** A grid of headline metrics: a label, a value (markup) and an optional note (text). */
export function htmlCards(cards: { label: string; html: string; note?: string }[]): string {
  const items = cards.map(
    (c) =>
      `<div class="ol-card"><div class="ol-label">${escapeHtml(c.label)}</div><div class="ol-value">${c.html}</div>${
        c.note ? `<div class="ol-muted">${escapeHtml(c.note)}</div>` : ""
      }</div>`,
  );
  return `<div class="ol-cards">\n${items.join("\n")}\n</div>`;
}

/** A one-line table of contents linking to section anchors on the same page. */
export function htmlNav(items: { id: string; title: string }[]): string {
  const links = items.map((i) => `<a href="#${escapeHtml(i.id)}">${escapeHtml(i.title)}</a>`);
  return `<nav class="ol-nav" aria-label="Contents">${links.join("")}</nav>`;
}
