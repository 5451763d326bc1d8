/**
 * Table formats openloop reads (JSON Lines, CSV, Parquet) and how a file's format is told from
 * its name.
 */
import { extname } from "node:path";
import { OpenloopError } from "../errors.js";

/** A table file format. */
export type TableFormat = "jsonl" | "csv" | "parquet";

/** Every table format, in the order they are listed to users. */
export const TABLE_FORMATS: readonly TableFormat[] = ["csv", "jsonl", "parquet"];

const extensions: Record<string, TableFormat> = {
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".json": "jsonl",
  ".csv": "csv",
  ".parquet": "parquet",
  ".pq": "parquet",
};

/**
 * The format of `file` from its extension (`.jsonl`/`.ndjson`/`.json` lines, `.csv`,
 * `.parquet`/`.pq`, case-insensitive).
 * @example detectFormat("runs/rollouts.parquet") // "parquet"
 */
export function detectFormat(file: string): TableFormat {
  const format = extensions[extname(file).toLowerCase()];
  if (format === undefined) {
    throw new OpenloopError("input", "cannot tell the table format from the file name", {
      where: { file },
      hint: "name the file .csv, .jsonl (or .ndjson, .json with one object per line) or .parquet",
    });
  }
  return format;
}
