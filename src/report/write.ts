/**
 * Writes the reports of an analysis to files: Markdown, HTML, or a directory with
 * analysis.json, report.md and report.html. Each file is written to a temporary name and renamed,
 * so a failure never leaves a half-written report.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AnalysisDocument } from "../analyze/index.js";
import { OpenloopError } from "../errors.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";

/** Where to write; every target is optional. */
export interface ReportTargets {
  /** a Markdown file */
  md?: string;
  /** a self-contained HTML file */
  html?: string;
  /** a directory that receives analysis.json, report.md and report.html */
  outDir?: string;
}

/** The analysis document as stable JSON text (non-finite numbers become null), ending in a newline. */
export function analysisJson(doc: AnalysisDocument): string {
  return `${JSON.stringify(doc, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;
}

function writeAtomic(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The directory itself is unusable; there is no temporary file to remove.
    }
    throw new OpenloopError("io", `cannot write ${file}: ${(error as Error).message}`, {
      where: { file },
      cause: error,
    });
  }
}

/**
 * Renders and writes the requested reports; returns the paths written, in order.
 * @example writeReports(doc, { outDir: "report" }) // ["report/analysis.json", "report/report.md", "report/report.html"]
 */
export function writeReports(doc: AnalysisDocument, targets: ReportTargets): string[] {
  const files: [string, () => string][] = [];
  if (targets.outDir !== undefined) {
    try {
      mkdirSync(targets.outDir, { recursive: true });
    } catch (error) {
      throw new OpenloopError(
        "io",
        `cannot create directory ${targets.outDir}: ${(error as Error).message}`,
        {
          where: { file: targets.outDir },
          cause: error,
        },
      );
    }
    files.push([join(targets.outDir, "analysis.json"), () => analysisJson(doc)]);
    files.push([join(targets.outDir, "report.md"), () => renderMarkdown(doc)]);
    files.push([join(targets.outDir, "report.html"), () => renderHtml(doc)]);
  }
  if (targets.md !== undefined) files.push([targets.md, () => renderMarkdown(doc)]);
  if (targets.html !== undefined) files.push([targets.html, () => renderHtml(doc)]);
  const rendered = files.map(([file, render]) => [file, render()] as const);
  for (const [file, content] of rendered) writeAtomic(file, content);
  return rendered.map(([file]) => file);
}
