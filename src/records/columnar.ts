/**
 * Rollout records of native Parquet files as typed columns: DuckDB projects only the record
 * fields, hashes prompt ids, classes and responses to 53-bit integer keys, and hands over one
 * Float64Array per field per chunk, so no JavaScript object is built per row. The built-in
 * features are computed from the responses' UTF-8 bytes (fetched from DuckDB's memory one run
 * of contiguous strings at a time), without decoding them. Missing values are NaN. Files are
 * cut into units of whole row groups (read by `file_row_number` ranges, which skip the other
 * row groups), so several readers can share a file. Only files whose schema this path
 * reproduces exactly are accepted (see `planColumnarRecords`); for any other file, and for a
 * row the row path would reject, callers fall back to `forEachRecord`.
 */
import { createRequire } from "node:module";
import { OpenloopError } from "../errors.js";
import { BUILTIN_FEATURES, builtinFeatureValuesUtf8, builtinFeatureValuesUtf8Many } from "./features.js";
import { detectFormat } from "./formats.js";
import { assertAllRowsRead, firstLine } from "./parquet.js";
import { assertReadable } from "./read-rows.js";
import { sqlIdentifier, sqlString } from "./sql.js";
import type { RecordSource } from "./stream.js";

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
  /** 53-bit hash of the response, NaN without one */
  responseHash: Float64Array;
  /** by `BUILTIN_FEATURES` when the files have a response column (NaN without a response), else empty */
  builtin: Float64Array[];
  /** the response of row `index` (decoded on demand; only during the visit), null without one */
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

/** Consecutive whole row groups of one file: rows `from` to `to` (exclusive) of `files[file]`. */
export interface ColumnarUnit {
  file: number;
  from: number;
  to: number;
  /** position of the unit's first row among all rows of all files */
  start: number;
}

/** What a reader needs (plain data, so it can be sent to a worker thread). */
export interface ColumnarJob {
  files: string[];
  /** the projection (see `selectList`) */
  select: string;
  /** numbers of signal and user-feature columns (their names are in `ColumnarPlan`) */
  signals: number;
  userFeatures: number;
  /** whether the files have a response column (then the built-in features come first) */
  hasResponse: boolean;
  /** whether units are read by `file_row_number` ranges (else each unit is a whole file) */
  byRowNumber: boolean;
  units: ColumnarUnit[];
}

/** What the columnar path reads. */
export interface ColumnarPlan {
  signals: string[];
  userFeatures: string[];
  /** prompt key -> prompt id */
  promptIds: Map<number, string>;
  /** records per file */
  records: number[];
  job: ColumnarJob;
}

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

/** The name of a type as DuckDB prints it, without its parameters ("STRUCT(a DOUBLE)" -> "STRUCT"). */
function typeName(type: string): string {
  return type.split("(")[0];
}

/** A non-null DOUBLE: the value, or NaN when null (or not finite, as the row path drops those). */
function number(expr: string): string {
  return `CASE WHEN isfinite(CAST(${expr} AS DOUBLE)) THEN CAST(${expr} AS DOUBLE) ELSE 'NaN'::DOUBLE END`;
}

/** The 53-bit key of a text expression, NaN when null (DuckDB hashes NULL to a number). */
function key(expr: string): string {
  return `CASE WHEN (${expr}) IS NULL THEN 'NaN'::DOUBLE ELSE CAST(hash(${expr}) >> 11 AS DOUBLE) END`;
}

/**
 * Plans the columnar read of `files`, or returns null when the row path must be used: a file
 * that is not Parquet, a preset, field map, class canonicaliser or `skipBad`, files with
 * different schemas, or a schema with a field whose values the row path would convert
 * differently (text signals, nested values, flattened `signals.NAME` columns, ...). A DuckDB
 * error is an `input` error naming the file, or, in a query over several files, null (the row
 * path reads them one by one and names the file).
 */
export async function planColumnarRecords(
  files: readonly string[],
  source: RecordSource,
): Promise<ColumnarPlan | null> {
  if (!mayReadColumnar(files, source)) return null;
  for (const file of files) assertReadable(file);
  // the C API bindings, not the @duckdb/node-api layer over them (loading it takes ~0.1 s of CPU)
  const duckdb = loadBindings();
  const config = duckdb.create_config();
  duckdb.set_config(config, "memory_limit", "512MB");
  let database: unknown;
  let connection: unknown;
  // the file a failing query reads, named by its error (null: all files, the row path finds which)
  let reading: string | null = files[0];
  // once only (an error after closing closes again)
  const close = () => {
    if (connection !== undefined) duckdb.disconnect_sync(connection);
    if (database !== undefined) duckdb.close_sync(database);
    connection = undefined;
    database = undefined;
  };
  try {
    database = await duckdb.open(":memory:", config);
    connection = await duckdb.connect(database);
    const rows = (sql: string) => queryRows(duckdb, connection, sql);
    let schema: string | undefined;
    let columns: Map<string, string> | undefined;
    for (const file of files) {
      reading = file;
      // names and types as DuckDB prints them (its own rendering: equal texts are equal schemas)
      const described = await rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
      const text = described.map(([n, type]) => `${n}:${type}`).join(",");
      if (schema !== undefined && text !== schema) return fail(close);
      schema = text;
      columns = new Map(described.map(([n, type]) => [String(n), String(type)]));
    }
    reading = files[0];
    const structs =
      columns === undefined
        ? new Map<string, StructFields>()
        : await structFields(duckdb, connection, files[0], columns);
    const plan = columns === undefined ? null : selectList(columns, structs);
    if (plan === null) return fail(close);
    const list = `read_parquet([${files.map(sqlString).join(", ")}])`;
    reading = files.length === 1 ? files[0] : null;
    // one key per distinct text, one text per key (two texts under one key fail, and so does a null text)
    const dictionary = await rows(
      `SELECT ${key("t")}, t FROM (SELECT DISTINCT ${plan.promptText} AS t FROM ${list})`,
    );
    const promptIds = new Map<number, string>();
    for (const [k, text] of dictionary) {
      if (text === null || promptIds.has(Number(k))) return fail(close);
      promptIds.set(Number(k), String(text));
    }
    if (plan.classText !== null) {
      // as many keys as texts
      const [[distinctText, distinctKeys]] = await rows(
        `SELECT CAST(count(*) AS DOUBLE), CAST(count(DISTINCT k) AS DOUBLE) FROM (SELECT t, ${key("t")} AS k FROM (SELECT coalesce(${plan.classText}, '') AS t FROM ${list}) GROUP BY t)`,
      );
      if (distinctText !== distinctKeys) return fail(close);
    }
    const byRowNumber = !columns?.has("file_row_number");
    const groups: number[][] = [];
    for (const file of files) {
      reading = file;
      const result = await rows(
        `SELECT CAST(any_value(row_group_num_rows) AS DOUBLE) FROM parquet_metadata(${sqlString(file)}) GROUP BY row_group_id ORDER BY row_group_id`,
      );
      const sizes = result.map(([n]) => Number(n));
      if (sizes.reduce((a, b) => a + b, 0) === 0)
        throw new OpenloopError("input", "empty file: no records", { where: { file } });
      groups.push(sizes);
    }
    const { units, records } = cutUnits(groups, byRowNumber);
    close();
    return {
      signals: plan.signals,
      userFeatures: plan.userFeatures,
      promptIds,
      records,
      job: {
        files: [...files],
        select: plan.select,
        signals: plan.signals.length,
        userFeatures: plan.userFeatures.length,
        hasResponse: plan.hasResponse,
        byRowNumber,
        units,
      },
    };
  } catch (error) {
    close();
    if (error instanceof OpenloopError) throw error;
    if (reading === null) return null;
    throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
      where: { file: reading },
    });
  }
}

/**
 * Units of consecutive whole row groups, in file order: row groups are joined until a unit has
 * 1/16 of all rows, at most 65,536 (so a small file still gives several units to share); without
 * `byRowNumber`, one unit per file.
 */
function cutUnits(groups: number[][], byRowNumber: boolean): { units: ColumnarUnit[]; records: number[] } {
  const total = groups.flat().reduce((a, b) => a + b, 0);
  const target = Math.min(1 << 16, Math.ceil(total / 16));
  const units: ColumnarUnit[] = [];
  const records: number[] = [];
  let start = 0;
  groups.forEach((sizes, file) => {
    let rows = 0;
    for (const n of sizes) {
      const last = units.at(-1);
      if (last !== undefined && last.file === file && (!byRowNumber || last.to - last.from < target))
        last.to += n;
      else if (n > 0) units.push({ file, from: rows, to: rows + n, start });
      rows += n;
      start += n;
    }
    records.push(rows);
  });
  return { units, records };
}

/**
 * Whether `planColumnarRecords` may accept `files` read with `source` (before looking into them):
 * Parquet files only, no preset, field map, class canonicaliser or `skipBad`.
 */
export function mayReadColumnar(files: readonly string[], source: RecordSource): boolean {
  if (files.length === 0 || source.preset || (source.map && source.map.length > 0)) return false;
  if (source.classFrom || source.skipBad) return false;
  return files.every((file) => detectFormat(file) === "parquet");
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

/**
 * The projection of a native schema (column name -> type as DuckDB prints it; the entries of
 * its STRUCT columns in `structs`), or null when some field needs the row path.
 */
function selectList(columns: Map<string, string>, structs: Map<string, StructFields>): Select | null {
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
  const fieldsOf = (name: string): StructFields | null => {
    if (!columns.has(name)) return { names: [], types: [] };
    const struct = structs.get(name);
    if (struct === undefined) return null;
    const { names, types } = struct;
    if (names.some((n) => INDEX_LIKE.test(n)) || types.some((ty) => !NUMBER_TYPES.has(ty))) return null;
    return struct;
  };
  const signalFields = fieldsOf("signals");
  const userFields = fieldsOf("features");
  if (signalFields === null || userFields === null || signalFields.names.length === 0) return null;
  if (userFields.names.some((n) => (BUILTIN_FEATURES as readonly string[]).includes(n))) return null;

  const response = sqlIdentifier("response");
  const promptText = `CAST(${sqlIdentifier("prompt_id")} AS VARCHAR)`;
  const classText = t.class === undefined ? null : `CAST(${sqlIdentifier("class")} AS VARCHAR)`;
  const iteration =
    t.iteration === undefined ? "0::DOUBLE" : `coalesce(CAST(${sqlIdentifier("iteration")} AS DOUBLE), 0)`;
  const parts = [
    iteration,
    `CASE WHEN ${promptText} = '' THEN 'NaN'::DOUBLE ELSE ${key(promptText)} END`,
    classText === null ? `${key("''")}` : key(`coalesce(${classText}, '')`),
    classText === null ? "0::DOUBLE" : `CAST(${classText} IS NOT NULL AS DOUBLE)`,
    t.response === undefined ? "'NaN'::DOUBLE" : key(response),
    t.response === undefined ? "NULL::VARCHAR" : response,
    t.gold === undefined ? "'NaN'::DOUBLE" : number(sqlIdentifier("gold")),
    columns.has("prompt") ? `CAST(${sqlIdentifier("prompt")} IS NOT NULL AS DOUBLE)` : "0::DOUBLE",
    t.accepted === undefined ? "'NaN'::DOUBLE" : number(sqlIdentifier("accepted")),
    // the two plain-substring built-in features, found by DuckDB (as has_boxed, has_code_fence)
    ...["\\boxed{", "```"].map((marker) =>
      t.response === undefined
        ? "'NaN'::DOUBLE"
        : `CASE WHEN ${response} IS NULL THEN 'NaN'::DOUBLE ELSE CAST(contains(${response}, ${sqlString(marker)}) AS DOUBLE) END`,
    ),
    ...signalFields.names.map((n) => number(`${sqlIdentifier("signals")}.${sqlIdentifier(n)}`)),
    ...userFields.names.map((n) => number(`${sqlIdentifier("features")}.${sqlIdentifier(n)}`)),
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
const RESPONSE = 5;
const FIXED = 10;
/** Positions of has_boxed and has_code_fence among the numeric columns, and among the built-in features. */
const LITERAL_COLUMNS = [8, 9];
const LITERAL_FEATURES = [3, 4];

/**
 * The DuckDB C API calls the plan and a reader need, from the bindings `@duckdb/node-api` itself
 * uses (loading only these, not the whole API, saves ~0.1 s of CPU per thread).
 */
interface Bindings {
  create_config(): unknown;
  set_config(config: unknown, name: string, value: string): void;
  open(path: string, config: unknown): Promise<unknown>;
  connect(database: unknown): Promise<unknown>;
  prepare(connection: unknown, sql: string): Promise<unknown>;
  execute_prepared_streaming(prepared: unknown): Promise<unknown>;
  destroy_prepare_sync(prepared: unknown): void;
  fetch_chunk(result: unknown): Promise<unknown | null>;
  data_chunk_get_size(chunk: unknown): number;
  data_chunk_get_column_count(chunk: unknown): number;
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  vector_get_data(vector: unknown, bytes: number): Uint8Array;
  get_data_from_pointer(buffer: ArrayBufferLike, pointerOffset: number, bytes: number): Uint8Array;
  disconnect_sync(connection: unknown): void;
  close_sync(database: unknown): void;
  query(connection: unknown, sql: string): Promise<unknown>;
  column_count(result: unknown): number;
  column_logical_type(result: unknown, column: number): unknown;
  get_type_id(type: unknown): number;
  struct_type_child_count(type: unknown): number;
  struct_type_child_name(type: unknown, index: number): string;
  struct_type_child_type(type: unknown, index: number): unknown;
  vector_get_validity(vector: unknown, bytes: number): Uint8Array | null;
}

/** DuckDB's type ids (`duckdb_type`) of the types a plan reads, and of STRUCT. */
const TYPE_IDS = {
  BOOLEAN: 1,
  TINYINT: 2,
  SMALLINT: 3,
  INTEGER: 4,
  BIGINT: 5,
  UTINYINT: 6,
  USMALLINT: 7,
  UINTEGER: 8,
  FLOAT: 10,
  DOUBLE: 11,
  VARCHAR: 17,
  STRUCT: 25,
} as const;
const TYPE_NAMES = new Map<number, string>(Object.entries(TYPE_IDS).map(([name, id]) => [id, name]));

/** The entries of a STRUCT column: names, and type names (as in `TYPE_IDS`, else "OTHER"). */
interface StructFields {
  names: string[];
  types: string[];
}

/** The entries of the STRUCT columns among `signals` and `features` of `file` (the others are left out). */
async function structFields(
  duckdb: Bindings,
  connection: unknown,
  file: string,
  columns: Map<string, string>,
): Promise<Map<string, StructFields>> {
  const names = ["signals", "features"].filter((name) => typeName(columns.get(name) ?? "") === "STRUCT");
  const structs = new Map<string, StructFields>();
  if (names.length === 0) return structs;
  const result = await duckdb.query(
    connection,
    `SELECT ${names.map(sqlIdentifier).join(", ")} FROM read_parquet(${sqlString(file)}) LIMIT 0`,
  );
  names.forEach((name, j) => {
    const type = duckdb.column_logical_type(result, j);
    if (duckdb.get_type_id(type) !== TYPE_IDS.STRUCT) return;
    const count = duckdb.struct_type_child_count(type);
    const entries: StructFields = { names: [], types: [] };
    for (let e = 0; e < count; e++) {
      entries.names.push(duckdb.struct_type_child_name(type, e));
      const child = duckdb.get_type_id(duckdb.struct_type_child_type(type, e));
      entries.types.push(TYPE_NAMES.get(child) ?? "OTHER");
    }
    structs.set(name, entries);
  });
  return structs;
}

/**
 * Decodes VARCHAR values (the plan's prompt ids, the readers' responses), a leading U+FEFF kept
 * as JSONL keeps it ("\uFEFFq1" and "q1" are two prompt ids).
 */
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * The rows of a query's result whose columns are DOUBLE, BOOLEAN (as 1/0) or VARCHAR; null
 * for a missing value.
 */
async function queryRows(
  duckdb: Bindings,
  connection: unknown,
  sql: string,
): Promise<(number | string | null)[][]> {
  const result = await duckdb.query(connection, sql);
  const width = duckdb.column_count(result);
  const types = Array.from({ length: width }, (_, j) =>
    duckdb.get_type_id(duckdb.column_logical_type(result, j)),
  );
  const rows: (number | string | null)[][] = [];
  for (;;) {
    const chunk = await duckdb.fetch_chunk(result);
    const count = chunk === null ? 0 : duckdb.data_chunk_get_size(chunk);
    if (count === 0) break;
    const first = rows.length;
    for (let r = 0; r < count; r++) rows.push(new Array(width).fill(null));
    types.forEach((type, j) => {
      const vector = duckdb.data_chunk_get_vector(chunk, j);
      const validity = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8);
      const size = type === TYPE_IDS.DOUBLE ? 8 : type === TYPE_IDS.BOOLEAN ? 1 : 16;
      if (type !== TYPE_IDS.DOUBLE && type !== TYPE_IDS.BOOLEAN && type !== TYPE_IDS.VARCHAR)
        throw new OpenloopError("internal", `a plan query returned a column of DuckDB type ${type}`);
      const data = duckdb.vector_get_data(vector, count * size);
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (let r = 0; r < count; r++) {
        if (validity && ((validity[r >> 3] >> (r & 7)) & 1) === 0) continue;
        let value: number | string;
        if (type === TYPE_IDS.DOUBLE) value = view.getFloat64(r * 8, true);
        else if (type === TYPE_IDS.BOOLEAN) value = data[r] === 0 ? 0 : 1;
        else {
          // a string_t: the length, then the bytes themselves (up to 12) or a pointer to them
          const length = view.getUint32(r * 16, true);
          const bytes =
            length <= 12
              ? data.subarray(r * 16 + 4, r * 16 + 4 + length)
              : duckdb.get_data_from_pointer(data.buffer, data.byteOffset + r * 16 + 8, length);
          value = textDecoder.decode(bytes);
        }
        rows[first + r][j] = value;
      }
    });
  }
  return rows;
}

/** The bindings, resolved from `@duckdb/node-api`'s own location, so the versions match. */
function loadBindings(): Bindings {
  const fromApi = createRequire(createRequire(import.meta.url).resolve("@duckdb/node-api"));
  return fromApi("@duckdb/node-bindings") as Bindings;
}

/**
 * Reads units `unitIndices` of `job` in order, with one single-threaded DuckDB instance, and
 * visits each chunk (awaited, so a slow visitor holds the reader back). DuckDB errors become an
 * `input` OpenloopError naming the file (and the row, when a unit ends short of its rows).
 */
export async function readColumnarUnits(
  job: ColumnarJob,
  unitIndices: readonly number[],
  visit: (unit: number, columns: RecordColumns) => void | Promise<void>,
): Promise<void> {
  const duckdb = loadBindings();
  const config = duckdb.create_config();
  duckdb.set_config(config, "threads", "1");
  duckdb.set_config(config, "memory_limit", "256MB");
  let file = job.files[0];
  let database: unknown;
  let connection: unknown;
  // the chunk DuckDB is fetching (awaited before closing, which must not race a running fetch)
  let next: Promise<unknown> | null = null;
  try {
    database = await duckdb.open(":memory:", config);
    connection = await duckdb.connect(database);
    const responses = new ResponseBytes(duckdb);
    let builtin = job.hasResponse ? BUILTIN_FEATURES.map(() => new Float64Array(2048)) : [];
    for (const u of unitIndices) {
      const unit = job.units[u];
      file = job.files[unit.file];
      const source = job.byRowNumber
        ? `read_parquet(${sqlString(file)}, file_row_number = true) WHERE file_row_number >= ${unit.from} AND file_row_number < ${unit.to}`
        : `read_parquet(${sqlString(file)})`;
      const prepared = await duckdb.prepare(connection, `SELECT ${job.select} FROM ${source}`);
      const result = await duckdb.execute_prepared_streaming(prepared);
      duckdb.destroy_prepare_sync(prepared);
      // DuckDB fetches the next chunk while this one is visited
      next = duckdb.fetch_chunk(result);
      let read = 0;
      for (;;) {
        const chunk = await next;
        next = null;
        const count = chunk === null ? 0 : duckdb.data_chunk_get_size(chunk);
        if (count === 0) break;
        read += count;
        next = duckdb.fetch_chunk(result);
        const arrays: Float64Array[] = [];
        const columns = duckdb.data_chunk_get_column_count(chunk);
        for (let j = 0; j < columns; j++) {
          if (j === RESPONSE) continue;
          const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, j), count * 8);
          arrays.push(new Float64Array(data.buffer, data.byteOffset, count));
        }
        const hashes = arrays[4];
        if (job.hasResponse) {
          if (builtin[0].length < count) builtin = builtin.map(() => new Float64Array(count));
          responses.load(chunk, count, RESPONSE, hashes, builtin);
        }
        const features: Float64Array[] = builtin.map((column, k) => {
          const literal = LITERAL_FEATURES.indexOf(k);
          return literal < 0 ? column : arrays[LITERAL_COLUMNS[literal]];
        });
        await visit(u, {
          count,
          iteration: arrays[0],
          prompt: arrays[1],
          cls: arrays[2],
          hasClass: arrays[3],
          responseHash: hashes,
          builtin: features,
          response: (index) => responses.text(index),
          gold: arrays[5],
          hasPrompt: arrays[6],
          accepted: arrays[7],
          signals: arrays.slice(FIXED, FIXED + job.signals),
          features: arrays.slice(FIXED + job.signals),
        });
      }
      assertAllRowsRead(file, unit.from + read, unit.to);
    }
  } catch (error) {
    if (error instanceof OpenloopError || error instanceof ColumnarFallback) throw error;
    throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
      where: { file },
    });
  } finally {
    if (next !== null) await next.catch(() => null);
    if (connection !== undefined) duckdb.disconnect_sync(connection);
    if (database !== undefined) duckdb.close_sync(database);
  }
}

/**
 * The responses of one chunk as UTF-8 bytes. A VARCHAR vector holds 16 bytes per string: the
 * length, then the bytes themselves (up to 12) or a pointer to them. Strings whose bytes follow
 * each other in memory (the usual case for a Parquet page) are copied out with one call; the
 * copied range is exactly the union of those strings' bytes.
 */
class ResponseBytes {
  private readonly bindings: Bindings;
  /** per row of the chunk: the buffer holding its bytes, the offset, the length (-1 for null) */
  private buffers: Buffer[] = [];
  private offsets = new Float64Array(2048);
  private lengths = new Float64Array(2048);
  private rows = new Int32Array(2048);

  constructor(bindings: Bindings) {
    this.bindings = bindings;
  }

  /** Reads the `count` strings of column `column` (null where `hashes` is NaN) and their built-in features. */
  load(chunk: unknown, count: number, column: number, hashes: Float64Array, builtin: Float64Array[]): void {
    if (this.offsets.length < count) {
      this.offsets = new Float64Array(count);
      this.lengths = new Float64Array(count);
      this.rows = new Int32Array(count);
    }
    const { offsets, lengths, rows } = this;
    const vector = this.bindings.data_chunk_get_vector(chunk, column);
    const strings = this.bindings.vector_get_data(vector, count * 16);
    const data = Buffer.from(strings.buffer, strings.byteOffset, strings.byteLength);
    const view = new DataView(strings.buffer, strings.byteOffset, strings.byteLength);
    const buffers = this.buffers;
    buffers.length = count;
    const out = new Float64Array(builtin.length);
    // the rows of the current run of contiguous strings
    let runRows = 0;
    let runStart = 0;
    let runEnd = 0;
    const flush = () => {
      const run = this.bindings.get_data_from_pointer(
        strings.buffer,
        strings.byteOffset + rows[0] * 16 + 8,
        runEnd - runStart,
      );
      const bytes = Buffer.from(run.buffer, run.byteOffset, run.byteLength);
      for (let i = 0; i < runRows; i++) buffers[rows[i]] = bytes;
      // has_boxed and has_code_fence come from DuckDB (see LITERAL_COLUMNS)
      builtinFeatureValuesUtf8Many(bytes, rows, runRows, offsets, lengths, builtin);
      runRows = 0;
    };
    for (let r = 0; r < count; r++) {
      if (Number.isNaN(hashes[r])) {
        lengths[r] = -1;
        buffers[r] = data;
        for (let k = 0; k < builtin.length; k++) builtin[k][r] = Number.NaN;
        continue;
      }
      const length = view.getUint32(r * 16, true);
      lengths[r] = length;
      if (length <= 12) {
        buffers[r] = data;
        offsets[r] = r * 16 + 4;
        builtinFeatureValuesUtf8(data, offsets[r], offsets[r] + length, out);
        for (let k = 0; k < builtin.length; k++) builtin[k][r] = out[k];
        continue;
      }
      const pointer = view.getUint32(r * 16 + 12, true) * 4294967296 + view.getUint32(r * 16 + 8, true);
      if (runRows > 0 && pointer !== runEnd) flush();
      if (runRows === 0) {
        runStart = pointer;
        runEnd = pointer;
      }
      rows[runRows++] = r;
      offsets[r] = pointer - runStart;
      runEnd = pointer + length;
    }
    if (runRows > 0) flush();
  }

  /** The response of row `r` of the loaded chunk, or null. */
  text(r: number): string | null {
    const length = this.lengths[r];
    if (length < 0) return null;
    const start = this.offsets[r];
    return textDecoder.decode(this.buffers[r].subarray(start, start + length));
  }
}
