/**
 * Markdown (GitHub-flavoured) tables: cells are escaped so hostile text cannot break the table
 * or inject HTML; numeric columns are right-aligned.
 */
import { escapeMarkdown } from "./escape.js";

/** A cell: text (escaped) or a number (printed as is, right-aligned). */
export type MarkdownCell = string | number;

/**
 * A Markdown table with one header row; a column is right-aligned when all its cells are numbers.
 * @example markdownTable(["feature", "bits"], [["length", 0.21]])
 * // "| feature | bits |\n| --- | ---: |\n| length | 0.21 |"
 */
export function markdownTable(
  headers: string[],
  rows: MarkdownCell[][],
  options: { align?: ("left" | "right")[] } = {},
): string {
  const align = headers.map(
    (_, i) =>
      options.align?.[i] ??
      (rows.length > 0 && rows.every((r) => typeof r[i] === "number") ? "right" : "left"),
  );
  const cell = (c: MarkdownCell | undefined) =>
    c === undefined ? "" : typeof c === "number" ? String(c) : escapeMarkdown(c);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(headers.map((h) => escapeMarkdown(h))),
    line(align.map((a) => (a === "right" ? "---:" : "---"))),
    ...rows.map((r) => line(headers.map((_, i) => cell(r[i])))),
  ].join("\n");
}
