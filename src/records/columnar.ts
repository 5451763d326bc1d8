/**
 * Rollout records of native Parquet files as typed columns: DuckDB projects only the record
 * fields, hashes prompt ids and classes to 53-bit integer keys, and hands over one Float64Array
 * per field per chunk (the response as text, for the built-in features and its hash), so no
 * JavaScript object is built per row. Missing values are NaN. Only files whose schema this path
 * reproduces exactly are accepted (see `planColumnarRecords`); for any other file, and for a row
 * the row path would reject, callers fall back to `forEachRecord`.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBType } from "@duckdb/node-api";
import { OpenloopError } from "../errors.js";
import { BUILTIN_FEATURES } from "./features.js";
import { detectFormat } from "./formats.js";
import { assertReadable } from "./read-rows.js";
import type { RecordSource, StreamReport } from "./stream.js";

/** One chunk of records; every array has `count` entries, NaN where a value is missing. */
export interface RecordColumns {
  count: number;
  iteration: Float64Array;
  /** 53-bit key of the prompt id (see `ColumnarPlan.promptIds`) */
  prompt: Float64Array;
  /** 53-bit key of the class ("" when missing) */
  cls: Float64Array;
  /** 1 when the record has a class, else 0 */
  hasClass: Float64Array;
  /** the response of row `index`, null without one */
  response: (index: number) => string | null;
  /** 1, 0, or NaN when unknown */
  gold: Float64Array;
  /** 1 when the record has a prompt, else 0 */
  hasPrompt: Float64Array;
  /** 1, 0, or NaN when missing */
  accepted: Float64Array;
  /** by `ColumnarPlan.signals` */
  signals: Float64Array[];
  /** by `ColumnarPlan.userFeatures`: booleans as 1/0 */
  features: Float64Array[];
}

/** A record the row path would reject (or a hash collision): the caller falls back to it. */
export class ColumnarFallback extends Error {}

/** What the columnar path reads. */
export interface ColumnarPlan {
  signals: string[];
  /** whether the files have a response column (then the built-in features come first) */
  hasResponse: boolean;
  userFeatures: string[];
  /** prompt key -> prompt id */
  promptIds: Map<number, string>;
  /** Streams every file's chunks, in file and row order; throws `ColumnarFallback` on a row it cannot reproduce. */
  forEachChunk(visit: (columns: RecordColumns) => void): Promise<StreamReport>;
}

type DuckDB = typeof import("@duckdb/node-api");

const INTEGER_TYPES = [
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
] as const;
const NUMBER_TYPES = new Set<string>([...INTEGER_TYPES, "FLOAT", "DOUBLE", "BOOLEAN"]);
const TEXT_TYPES = new Set<string>([...INTEGER_TYPES, "VARCHAR"]);
/** Names JavaScript orders first in an object (array indices): their row order would differ. */
const INDEX_LIKE = /^(0|[1-9]\d*)$/;

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function id(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function typeName(type: DuckDBType): string {
  return type.toString().split("(")[0];
}

/** A non-null DOUBLE: the value, or NaN when null (or not finite, as the row path drops those). */
function number(expr: string): string {
  return `CASE WHEN isfinite(CAST(${expr} AS DOUBLE)) THEN CAST(${expr} AS DOUBLE) ELSE 'NaN'::DOUBLE END`;
}

/** The 53-bit key of a text expression, NaN when null. */
function key(expr: string): string {
  return `coalesce(CAST(hash(${expr}) >> 11 AS DOUBLE), 'NaN'::DOUBLE)`;
}

/**
 * Plans the columnar read of `files`, or returns null when the row path must be used: a file
 * that is not Parquet, a preset, field map, class canonicaliser or `skipBad`, files with
 * different schemas, or a schema with a field whose values the row path would convert
 * differently (text signals, nested values, flattened `signals.NAME` columns, ...).
 */
export async function planColumnarRecords(
  files: readonly string[],
  source: RecordSource,
): Promise<ColumnarPlan | null> {
  if (files.length === 0 || source.preset || (source.map && source.map.length > 0)) return null;
  if (source.classFrom || source.skipBad) return null;
  if (files.some((file) => detectFormat(file) !== "parquet")) return null;
  for (const file of files) assertReadable(file);
  const duckdb: DuckDB = await import("@duckdb/node-api");
  const instance: DuckDBInstance = await duckdb.DuckDBInstance.create(":memory:", { memory_limit: "512MB" });
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    let schema: string | undefined;
    let columns: Map<string, DuckDBType> | undefined;
    for (const file of files) {
      const result = await connection.run(`SELECT * FROM read_parquet(${sqlString(file)}) LIMIT 0`);
      const names = result.columnNames();
      const types = names.map((_, j) => result.columnType(j));
      const text = names.map((n, j) => `${n}:${types[j].toString()}`).join(",");
      if (schema !== undefined && text !== schema) return fail(close);
      schema = text;
      columns = new Map(names.map((n, j) => [n, types[j]]));
    }
    const plan = columns === undefined ? null : selectList(columns);
    if (plan === null) return fail(close);
    const list = `read_parquet([${files.map(sqlString).join(", ")}])`;
    const dictionary = await connection.runAndReadAll(
      `SELECT k, min(t), count(DISTINCT t) FROM (SELECT ${key(plan.promptText)} AS k, ${plan.promptText} AS t FROM ${list}) GROUP BY k`,
    );
    const promptIds = new Map<number, string>();
    for (const [k, text, distinct] of dictionary.getRowsJS()) {
      if (Number(distinct) !== 1) return fail(close);
      promptIds.set(Number(k), String(text));
    }
    if (plan.classText !== null) {
      const classes = await connection.runAndReadAll(
        `SELECT count(DISTINCT t), count(DISTINCT ${key("t")}) FROM (SELECT coalesce(${plan.classText}, '') AS t FROM ${list})`,
      );
      const [distinctText, distinctKeys] = classes.getRowsJS()[0];
      if (Number(distinctText) !== Number(distinctKeys)) return fail(close);
    }
    close();
    return {
      signals: plan.signals,
      hasResponse: plan.hasResponse,
      userFeatures: plan.userFeatures,
      promptIds,
      forEachChunk: (visit) => streamChunks(duckdb, files, plan, visit),
    };
  } catch (error) {
    close();
    throw new OpenloopError("input", `DuckDB cannot read the file: ${String(error).split("\n")[0]}`, {
      where: { file: files[0] },
    });
  }
}

function fail(close: () => void): null {
  close();
  return null;
}

interface Select {
  select: string;
  promptText: string;
  classText: string | null;
  signals: string[];
  hasResponse: boolean;
  userFeatures: string[];
}

/** The projection of a native schema, or null when some field needs the row path. */
function selectList(columns: Map<string, DuckDBType>): Select | null {
  const type = (name: string) => {
    const t = columns.get(name);
    return t === undefined ? undefined : typeName(t);
  };
  for (const name of columns.keys()) {
    if (name.startsWith("signals.") || name.startsWith("features.")) return null;
  }
  // every record field but `error` is read here; records that failed to generate take the row path
  if (columns.has("error")) return null;
  const t = {
    iteration: type("iteration"),
    prompt_id: type("prompt_id"),
    response: type("response"),
    class: type("class"),
    gold: type("gold"),
    accepted: type("accepted"),
  };
  if (t.prompt_id === undefined || !TEXT_TYPES.has(t.prompt_id)) return null;
  if (t.iteration !== undefined && !NUMBER_TYPES.has(t.iteration)) return null;
  if (t.iteration === "BOOLEAN") return null;
  if (t.response !== undefined && t.response !== "VARCHAR") return null;
  if (t.class !== undefined && !TEXT_TYPES.has(t.class)) return null;
  if (t.gold !== undefined && t.gold !== "BOOLEAN") return null;
  if (t.accepted !== undefined && t.accepted !== "BOOLEAN") return null;
  const fieldsOf = (name: string): { names: string[]; types: string[] } | null => {
    const struct = columns.get(name);
    if (struct === undefined) return { names: [], types: [] };
    if (typeName(struct) !== "STRUCT" || !("entryNames" in struct)) return null;
    const names = [...struct.entryNames];
    const types = struct.entryTypes.map(typeName);
    if (names.some((n) => INDEX_LIKE.test(n)) || types.some((ty) => !NUMBER_TYPES.has(ty))) return null;
    return { names, types };
  };
  const signalFields = fieldsOf("signals");
  const userFields = fieldsOf("features");
  if (signalFields === null || userFields === null || signalFields.names.length === 0) return null;
  if (userFields.names.some((n) => (BUILTIN_FEATURES as readonly string[]).includes(n))) return null;

  const promptText = `CAST(${id("prompt_id")} AS VARCHAR)`;
  const classText = t.class === undefined ? null : `CAST(${id("class")} AS VARCHAR)`;
  const iteration =
    t.iteration === undefined ? "0::DOUBLE" : `coalesce(CAST(${id("iteration")} AS DOUBLE), 0)`;
  const parts = [
    iteration,
    `CASE WHEN ${promptText} = '' THEN 'NaN'::DOUBLE ELSE ${key(promptText)} END`,
    classText === null ? `${key("''")}` : key(`coalesce(${classText}, '')`),
    classText === null ? "0::DOUBLE" : `CAST(${classText} IS NOT NULL AS DOUBLE)`,
    t.response === undefined ? "NULL::VARCHAR" : id("response"),
    t.gold === undefined ? "'NaN'::DOUBLE" : number(id("gold")),
    columns.has("prompt") ? `CAST(${id("prompt")} IS NOT NULL AS DOUBLE)` : "0::DOUBLE",
    t.accepted === undefined ? "'NaN'::DOUBLE" : number(id("accepted")),
    ...signalFields.names.map((n) => number(`${id("signals")}.${id(n)}`)),
    ...userFields.names.map((n) => number(`${id("features")}.${id(n)}`)),
  ];
  return {
    select: parts.join(",\n  "),
    promptText,
    classText,
    signals: signalFields.names,
    hasResponse: t.response !== undefined,
    userFeatures: userFields.names,
  };
}

/** Position of the response among the selected columns, and the number of numeric columns before the signals. */
const RESPONSE = 4;
const FIXED = 7;

async function streamChunks(
  duckdb: DuckDB,
  files: readonly string[],
  plan: Select,
  visit: (columns: RecordColumns) => void,
): Promise<StreamReport> {
  const report: StreamReport = { files: [], records: 0, skipped: 0, skippedExamples: [] };
  for (const file of files) {
    const entry = { path: file, format: "parquet" as const, records: 0, skipped: 0 };
    report.files.push(entry);
    await withDuckDB(duckdb, file, async (connection) => {
      const result = await connection.stream(`SELECT ${plan.select} FROM read_parquet(${sqlString(file)})`);
      // DuckDB fetches the next chunk (on a worker thread) while this one is visited
      let next = result.fetchChunk();
      for (;;) {
        const chunk = await next;
        if (chunk === null || chunk.rowCount === 0) break;
        next = result.fetchChunk();
        const arrays: Float64Array[] = [];
        for (let j = 0; j < chunk.columnCount; j++) {
          if (j !== RESPONSE)
            arrays.push((chunk.getColumnVector(j) as unknown as { items: Float64Array }).items);
        }
        const responses = chunk.getColumnVector(RESPONSE);
        visit({
          count: chunk.rowCount,
          iteration: arrays[0],
          prompt: arrays[1],
          cls: arrays[2],
          hasClass: arrays[3],
          response: (index) => responses.getItem(index) as string | null,
          gold: arrays[4],
          hasPrompt: arrays[5],
          accepted: arrays[6],
          signals: arrays.slice(FIXED, FIXED + plan.signals.length),
          features: arrays.slice(FIXED + plan.signals.length),
        });
        entry.records += chunk.rowCount;
        report.records += chunk.rowCount;
      }
    });
    if (entry.records === 0) throw new OpenloopError("input", "empty file: no records", { where: { file } });
  }
  return report;
}

async function withDuckDB(
  duckdb: DuckDB,
  file: string,
  body: (connection: DuckDBConnection) => Promise<void>,
): Promise<void> {
  const instance = await duckdb.DuckDBInstance.create(":memory:", { memory_limit: "512MB", threads: "1" });
  const connection = await instance.connect();
  try {
    await body(connection);
  } catch (error) {
    if (error instanceof OpenloopError || error instanceof ColumnarFallback) throw error;
    throw new OpenloopError("input", `DuckDB cannot read the file: ${String(error).split("\n")[0]}`, {
      where: { file },
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
