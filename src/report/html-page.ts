/**
 * The self-contained HTML page shell used by every openloop report (analyze, lab, run, demo):
 * inline CSS only, no scripts, no external fonts or images, and a Content-Security-Policy that
 * forbids any network request. Reads well on a laptop screen; follows the system's light or
 * dark colour scheme.
 */
import { escapeHtml } from "./escape.js";

/** Options of {@link htmlPage}. */
export interface HtmlPageOptions {
  /** The document title (the `<title>` and the `<h1>`). */
  title: string;
  /** A line under the title (e.g. the input files and the date of the run). */
  subtitle?: string;
  /** The page content: markup, already escaped. */
  body: string;
  /** A line in the footer (e.g. "openloop 0.1.0"). */
  footer?: string;
}

const CSS = `
:root{color-scheme:light dark;--bg:#fbfbfa;--fg:#1d2127;--muted:#5b6470;--card:#ffffff;--line:#dfe2e6;
--accent:#0b63a8;--crit:#b42318;--crit-bg:#fde8e6;--warn:#8a5a00;--warn-bg:#fdf1d8;--info:#1f5f99;--info-bg:#e5f0fa;
--ok:#17663a;--ok-bg:#e3f4ea}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--fg:#e4e7eb;--muted:#9aa3ad;--card:#1d2126;--line:#323840;
--accent:#6cb4f0;--crit:#ff9b91;--crit-bg:#4a1f1c;--warn:#f3c364;--warn-bg:#43341a;--info:#9ccaf2;--info-bg:#1c3248;
--ok:#8fd9a8;--ok-bg:#1b3a28}}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0;background:var(--bg);color:var(--fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif;line-height:1.5;-webkit-text-size-adjust:100%}
main{max-width:1160px;margin:0 auto;padding:28px 24px 48px}
header.ol-head h1{font-size:1.6rem;margin:0 0 4px;letter-spacing:-.01em}
header.ol-head p{margin:0;color:var(--muted)}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
nav.ol-nav{display:flex;flex-wrap:wrap;gap:4px 18px;margin:14px 0 0;padding:8px 0;border-top:1px solid var(--line);
border-bottom:1px solid var(--line);font-size:.92rem}
section{scroll-margin-top:12px}
h2{font-size:1.2rem;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:1.02rem;margin:20px 0 8px}
p{margin:8px 0}
h1,h2,h3,p,li,figcaption,nav,.ol-card{overflow-wrap:anywhere;min-width:0}
.ol-muted,.ol-ci{color:var(--muted)}
.ol-ci{font-size:.86em;white-space:nowrap}
code,.ol-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.92em}
.ol-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin:12px 0}
.ol-card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.ol-card .ol-label{color:var(--muted);font-size:.85rem}
.ol-card .ol-value{font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.ol-card .ol-value .ol-ci{display:block;font-size:.82rem;font-weight:400}
.ol-findings{list-style:none;padding:0;margin:12px 0;display:grid;gap:10px}
.ol-finding{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--info);border-radius:8px;
padding:10px 14px}
.ol-finding.ol-critical{border-left-color:var(--crit)}
.ol-finding.ol-warning{border-left-color:var(--warn)}
.ol-finding.ol-ok{border-left-color:var(--ok)}
.ol-finding .ol-finding-title{font-weight:600}
.ol-finding .ol-advice{color:var(--muted);margin-top:4px}
.ol-badge{display:inline-block;font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;
border-radius:999px;padding:1px 9px;margin-right:8px;vertical-align:1px;background:var(--info-bg);color:var(--info)}
.ol-badge.ol-critical{background:var(--crit-bg);color:var(--crit)}
.ol-badge.ol-warning{background:var(--warn-bg);color:var(--warn)}
.ol-badge.ol-ok{background:var(--ok-bg);color:var(--ok)}
.ol-charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px;margin:12px 0}
figure.ol-figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px;
min-width:0}
figure.ol-figure figcaption{color:var(--muted);font-size:.85rem;margin:6px 4px 0}
svg.ol-chart{display:block;width:100%;height:auto;max-width:100%;color:var(--fg)}
.ol-table-wrap{overflow-x:auto;margin:8px 0 12px}
table.ol-table{border-collapse:collapse;width:auto;min-width:min(100%,560px);background:var(--card);border:1px solid var(--line);
border-radius:8px;font-size:.93rem}
table.ol-table caption{text-align:left;color:var(--muted);padding:0 0 6px;caption-side:top}
table.ol-table th,table.ol-table td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;
vertical-align:top}
table.ol-table th{font-weight:600;color:var(--muted);font-size:.85rem;background:transparent}
table.ol-table td.ol-num,table.ol-table th.ol-num{text-align:right;font-variant-numeric:tabular-nums}
table.ol-table tr:last-child td{border-bottom:0}
footer.ol-foot{margin-top:40px;color:var(--muted);font-size:.85rem}
@media (max-width:560px){main{padding:16px 12px}.ol-charts{grid-template-columns:1fr}}
@media print{body{background:#fff;color:#000}.ol-card,.ol-finding,figure.ol-figure,table.ol-table{break-inside:avoid}}
`;

/** The page's stylesheet, exported so other pages of the project can share it. */
export const PAGE_CSS = CSS.trim();

/**
 * A complete HTML document around `body`, with no external resources.
 * @example htmlPage({ title: "openloop analysis", body: htmlSection("Findings", "<p>none</p>") })
 */
export function htmlPage(options: HtmlPageOptions): string {
  const subtitle = options.subtitle ? `<p>${escapeHtml(options.subtitle)}</p>` : "";
  const footer = options.footer ? `<footer class="ol-foot">${escapeHtml(options.footer)}</footer>` : "";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<header class="ol-head"><h1>${escapeHtml(options.title)}</h1>${subtitle}</header>`,
    options.body,
    footer,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
