/**
 * Streams rollout records out of files of any table format (through `readRows`), applying a
 * preset or field map, deriving the class with a canonicaliser, and computing features. Bad
 * rows stop the stream with file:line and what is wrong, or, with `skipBad`, are counted. Only
 * the current row is held in memory.
 */
import { createReadStream } from "node:fs";
import { OpenloopError } from "../errors.js";
import { type ClassFrom, canonicalise } from "./canonical.js";
import { recordFeatures } from "./features.js";
import { detectFormat, type TableFormat } from "./formats.js";
import { applyFieldMap, type FieldMapEntry } from "./map.js";
import { applyPreset, type Preset } from "./presets.js";
import { assertReadable, type LocatedRow, readJsonlBatches, readRows } from "./read-rows.js";
import { type RecordValue, type RolloutRecord, toRolloutRecord } from "./record.js";

/** How to turn rows of a file into records. */
export interface RecordSource {
  preset?: Preset;
  map?: FieldMapEntry[];
  classFrom?: ClassFrom;
  /** count and skip bad rows instead of stopping */
  skipBad?: boolean;
}

/** One record with its computed features and where it came from. */
export interface StreamedRecord {
  record: RolloutRecord;
  features: Record<string, RecordValue>;
  file: string;
  line: number;
}

/** A row skipped with `skipBad`. */
export interface SkippedRow {
  file: string;
  line: number;
  message: string;
}

/** What was read. */
export interface StreamReport {
  files: { path: string; format: TableFormat; records: number; skipped: number }[];
  records: number;
  skipped: number;
  /** the first 20 skipped rows */
  skippedExamples: SkippedRow[];
}

/** Visits each record (awaited when it returns a promise); may throw an `input` OpenloopError to reject the row. */
export type RecordVisitor = (streamed: StreamedRecord) => void | Promise<void>;

/** Turns one raw row into a record (map, preset, class canonicaliser). */
export function rowToRecord(
  row: Record<string, unknown>,
  source: RecordSource,
  file: string,
  line: number,
): RolloutRecord {
  let mapped = source.preset ? applyPreset(row, source.preset) : row;
  if (source.map && source.map.length > 0) mapped = applyFieldMap(mapped, source.map);
  const record = toRolloutRecord(mapped, { file, line });
  if (source.classFrom) {
    const text = record[source.classFrom.field];
    if (text !== undefined) record.class = canonicalise(text, source.classFrom.canonicaliser);
  }
  return record;
}

/**
 * Streams every record of `files` into `visit`, in file order.
 * @example await forEachRecord(["a.jsonl"], {}, ({ record }) => console.log(record.prompt_id))
 */
export async function forEachRecord(
  files: readonly string[],
  source: RecordSource,
  visit: RecordVisitor,
): Promise<StreamReport> {
  const report: StreamReport = { files: [], records: 0, skipped: 0, skippedExamples: [] };
  for (const file of files) {
    const format = detectFormat(file);
    assertReadable(file);
    const entry = { path: file, format, records: 0, skipped: 0 };
    report.files.push(entry);
    const skip = (line: number, error: OpenloopError) => {
      entry.skipped++;
      report.skipped++;
      if (report.skippedExamples.length < 20)
        report.skippedExamples.push({ file, line, message: error.message });
    };
    const fail = (error: unknown, line: number) => {
      if (!(error instanceof OpenloopError) || error.code !== "input") throw error;
      const located =
        error.where.file === undefined
          ? new OpenloopError("input", error.message, {
              where: { ...error.where, file, line },
              hint: error.hint,
            })
          : error;
      if (!source.skipBad) throw located;
      skip(line, located);
    };
    const counted = () => {
      entry.records++;
      report.records++;
    };
    // synchronous unless the visitor returns a promise: no await per row on the common path
    const handle = ({ row, line }: LocatedRow): Promise<void> | undefined => {
      try {
        const record = rowToRecord(row, source, file, line);
        const pending = visit({ record, features: recordFeatures(record), file, line });
        if (pending === undefined) {
          counted();
          return undefined;
        }
        return pending.then(counted, (error) => fail(error, line));
      } catch (error) {
        fail(error, line);
        return undefined;
      }
    };
    if (format === "jsonl" && !source.skipBad) {
      for await (const batch of readJsonlBatches(file)) {
        for (const located of batch) {
          const pending = handle(located);
          if (pending !== undefined) await pending;
        }
      }
    } else {
      const rows = format === "jsonl" ? tolerantJsonlRows(file, skip) : readRows(file, { format });
      for await (const located of rows) {
        const pending = handle(located);
        if (pending !== undefined) await pending;
      }
    }
    if (entry.records === 0) {
      throw new OpenloopError(
        "input",
        entry.skipped > 0 ? "no valid record (every row was bad)" : "empty file: no records",
        {
          where: { file },
        },
      );
    }
  }
  return report;
}

/** JSON Lines that survive malformed lines: each bad line is reported to `skip` and passed over. */
async function* tolerantJsonlRows(
  file: string,
  skip: (line: number, error: OpenloopError) => void,
): AsyncGenerator<LocatedRow> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  let rest = "";
  let line = 0;
  const parse = (text: string): Record<string, unknown> | undefined => {
    const trimmed = text.trim();
    if (trimmed === "") return undefined;
    try {
      const value: unknown = JSON.parse(trimmed.charCodeAt(0) === 0xfeff ? trimmed.slice(1) : trimmed);
      if (value !== null && typeof value === "object" && !Array.isArray(value))
        return value as Record<string, unknown>;
      skip(line, new OpenloopError("input", "each line of a JSONL file must be a JSON object"));
    } catch (error) {
      skip(line, new OpenloopError("input", `malformed JSON: ${(error as Error).message}`));
    }
    return undefined;
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const text of parts) {
      line++;
      const row = parse(text);
      if (row !== undefined) yield { row, line };
    }
  }
  line++;
  const row = parse(rest);
  if (row !== undefined) yield { row, line };
}
