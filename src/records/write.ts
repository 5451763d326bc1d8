/**
 * Writing rollout records: JSON Lines, or Parquet through DuckDB. Output goes to a temporary
 * file next to the target and is renamed into place on `close`, so a failed run never leaves a
 * half-written file. Every record is validated against the record schema before it is written.
 */
import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { OpenloopError } from "../errors.js";
import { detectFormat } from "./formats.js";
import { parseRolloutRecord, type RolloutRecord } from "./record.js";
import { sqlString } from "./sql.js";

/** A streaming writer of records (or, with `validate: false`, of any JSON objects). */
export interface RecordWriter {
  /** the final path */
  readonly path: string;
  /** number of rows written so far */
  readonly count: number;
  /** writes one record (validated), waiting when the stream is full */
  write(record: RolloutRecord | Record<string, unknown>): Promise<void>;
  /** finishes the file and moves it into place */
  close(): Promise<void>;
  /** removes the temporary file; the target is left untouched */
  abort(): void;
}

/** Options of {@link createRecordWriter}. */
export interface RecordWriterOptions {
  /** validate each row as a rollout record (default true) */
  validate?: boolean;
}

function tempPath(path: string, suffix: string): string {
  return `${path}.${process.pid}.${Date.now().toString(36)}.tmp${suffix}`;
}

function openStream(path: string): WriteStream {
  return createWriteStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
}

async function endStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

/** Converts a JSON Lines file to Parquet with DuckDB (loaded on first use: it is slow to load). */
async function jsonlToParquet(jsonl: string, parquet: string): Promise<void> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM read_json(${sqlString(jsonl)}, format = 'newline_delimited', sample_size = -1)) ` +
        `TO ${sqlString(parquet)} (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * A writer of rollout records to `path` (`.jsonl`/`.ndjson` or `.parquet`, by extension).
 * @example const w = createRecordWriter("out/rollouts.jsonl"); await w.write(record); await w.close();
 */
export function createRecordWriter(path: string, options: RecordWriterOptions = {}): RecordWriter {
  const format = detectFormat(path);
  if (format === "csv") {
    throw new OpenloopError("usage", "records are written as .jsonl or .parquet, not CSV", {
      where: { file: path },
    });
  }
  const validate = options.validate ?? true;
  const jsonl = tempPath(path, ".jsonl");
  let stream: WriteStream;
  try {
    stream = openStream(jsonl);
  } catch (error) {
    throw new OpenloopError("io", `cannot write: ${(error as Error).message}`, { where: { file: path } });
  }
  let failure: Error | undefined;
  stream.on("error", (error) => {
    failure = error;
  });
  let count = 0;
  let closed = false;
  const cleanup = () => rmSync(jsonl, { force: true });
  return {
    path,
    get count() {
      return count;
    },
    async write(row) {
      if (closed) throw new OpenloopError("internal", "write after close");
      const value = validate ? await parseRolloutRecord(row, { file: path, line: count + 1 }) : row;
      count++;
      if (!stream.write(`${JSON.stringify(value)}\n`)) {
        await new Promise<void>((resolve) => stream.once("drain", resolve));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await endStream(stream);
        if (failure) throw failure;
        if (format === "parquet") {
          const parquet = tempPath(path, ".parquet");
          try {
            await jsonlToParquet(jsonl, parquet);
            renameSync(parquet, path);
          } finally {
            rmSync(parquet, { force: true });
            cleanup();
          }
        } else {
          renameSync(jsonl, path);
        }
      } catch (error) {
        cleanup();
        if (error instanceof OpenloopError) throw error;
        throw new OpenloopError("io", `cannot write: ${(error as Error).message}`, { where: { file: path } });
      }
    },
    abort() {
      closed = true;
      stream.destroy();
      cleanup();
    },
  };
}
