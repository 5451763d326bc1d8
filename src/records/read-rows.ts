/**
 * Streaming row readers: one async iterable of `{ row, line }` for JSON Lines, CSV and Parquet.
 * Rows are never all held in memory.
 */
import { createReadStream, statSync } from "node:fs";
import { OpenloopError } from "../errors.js";
import { readCsvRows } from "./csv.js";
import { detectFormat, type TableFormat } from "./formats.js";
import { streamDuckDBRows } from "./parquet.js";

/** One row of a table and where it is: the 1-based file line (the row number for Parquet). */
export interface LocatedRow {
  row: Record<string, unknown>;
  line: number;
}

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** The file's format; by default told from its extension. */
  format?: TableFormat;
}

/**
 * Reads the rows of a JSONL, CSV or Parquet file one at a time. CSV values are the strings as
 * written (no type guessing); JSONL values are the parsed JSON values; Parquet values are
 * JavaScript values (integers that fit are numbers). Malformed input is an `input` error naming
 * the file and line.
 * @example for await (const { row, line } of readRows("rollouts.jsonl")) console.log(line, row.prompt_id)
 */
export async function* readRows(file: string, options: ReadRowsOptions = {}): AsyncGenerator<LocatedRow> {
  const format = options.format ?? detectFormat(file);
  assertReadable(file);
  if (format === "csv") {
    for await (const { row, line } of readCsvRows(file)) yield { row, line };
  } else if (format === "jsonl") {
    yield* readJsonlRows(file);
  } else {
    yield* streamDuckDBRows(file, format);
  }
}

/** Throws an `io` error naming the file when it does not exist or is not a readable file. */
export function assertReadable(file: string): void {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new OpenloopError("io", "file not found", { where: { file } });
  }
  if (!isFile) throw new OpenloopError("io", "not a file", { where: { file } });
}

/** Reads a JSON Lines file in batches (one per chunk of about 1 MiB); blank lines are skipped. */
export async function* readJsonlBatches(file: string): AsyncGenerator<LocatedRow[]> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  let rest = "";
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    const batch: LocatedRow[] = [];
    for (const text of parts) {
      line++;
      const row = parseJsonLine(text, file, line);
      if (row !== undefined) batch.push({ row, line });
    }
    if (batch.length > 0) yield batch;
  }
  line++;
  const row = parseJsonLine(rest, file, line);
  if (row !== undefined) yield [{ row, line }];
}

/** Reads a JSON Lines file row by row: one JSON object per line; blank lines are skipped. */
export async function* readJsonlRows(file: string): AsyncGenerator<LocatedRow> {
  for await (const batch of readJsonlBatches(file)) yield* batch;
}

const nonFinite = /"((?:[^"\\]|\\.)*)"\s*:\s*(-?Infinity|NaN)\b/;

function parseJsonLine(text: string, file: string, line: number): Record<string, unknown> | undefined {
  const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (trimmed.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line === 1 && trimmed.charCodeAt(0) === 0xfeff ? trimmed.slice(1) : trimmed);
  } catch (error) {
    const match = nonFinite.exec(trimmed);
    if (match) {
      throw new OpenloopError("input", `non-finite value ${match[2]} (estimates need finite numbers)`, {
        where: { file, line, column: match[1] },
      });
    }
    throw new OpenloopError("input", `malformed JSON: ${(error as Error).message}`, {
      where: { file, line },
      hint: trimmed.trimStart().startsWith("[")
        ? "openloop reads JSON Lines: one JSON object per line, not a JSON array"
        : undefined,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new OpenloopError("input", "each line of a JSONL file must be a JSON object", {
      where: { file, line },
    });
  }
  return value as Record<string, unknown>;
}
