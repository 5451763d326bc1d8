/**
 * Reading tables through DuckDB (`@duckdb/node-api`): Parquet files, and large CSV or JSONL
 * files. Results are streamed chunk by chunk (2,048 rows at a time); nothing materialises the
 * whole table. DuckDB is loaded on first use, so reading CSV or JSONL does not pay for it.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBTypeId, DuckDBVector } from "@duckdb/node-api";
import { OpenloopError } from "../errors.js";
import type { TableFormat } from "./formats.js";
import { sqlIdentifier, sqlString } from "./sql.js";

/** How DuckDB hands a column's values over: as doubles, booleans, text, or JSON text (JSON values of mixed types). */
export type DuckDBColumnType = "double" | "boolean" | "text" | "json";

/** One chunk of selected columns: the 0-based index of its first row and one vector per column. */
export interface DuckDBChunk {
  offset: number;
  count: number;
  vectors: DuckDBVector[];
}

/** A streamed selection of columns: their names, how each is typed, and the chunks. */
export interface DuckDBColumnStream {
  names: string[];
  types: DuckDBColumnType[];
  /** The number of rows when known without a scan (Parquet metadata). */
  rows?: number;
  chunks: AsyncGenerator<DuckDBChunk>;
}

/** Memory DuckDB itself may use; the JavaScript side holds only the typed columns. */
const MEMORY_LIMIT = "512MB";

type DuckDB = typeof import("@duckdb/node-api");

let loaded: Promise<DuckDB> | undefined;

/** The DuckDB module, imported once on first use. */
function duckdb(): Promise<DuckDB> {
  loaded ??= import("@duckdb/node-api");
  return loaded;
}

/** A fresh in-memory DuckDB instance with openloop's memory limit. */
async function openInstance(): Promise<DuckDBInstance> {
  const { DuckDBInstance } = await duckdb();
  return DuckDBInstance.create(":memory:", { memory_limit: MEMORY_LIMIT });
}

function columnType(id: DuckDBTypeId, ids: DuckDB["DuckDBTypeId"]): DuckDBColumnType {
  const numeric = [
    ids.TINYINT,
    ids.SMALLINT,
    ids.INTEGER,
    ids.BIGINT,
    ids.UTINYINT,
    ids.USMALLINT,
    ids.UINTEGER,
    ids.UBIGINT,
    ids.HUGEINT,
    ids.UHUGEINT,
    ids.FLOAT,
    ids.DOUBLE,
    ids.DECIMAL,
  ];
  if (numeric.includes(id)) return "double";
  return id === ids.BOOLEAN ? "boolean" : "text";
}

/** The DuckDB table function that reads `file` in `format`. */
function duckdbSource(file: string, format: TableFormat): string {
  const path = sqlString(file);
  if (format === "parquet") return `read_parquet(${path})`;
  if (format === "csv") return `read_csv(${path}, header = true, delim = ',', quote = '"', escape = '"')`;
  return `read_json(${path}, format = 'newline_delimited')`;
}

async function withConnection<T>(
  file: string,
  body: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const instance = await openInstance();
  const connection = await instance.connect();
  try {
    return await body(connection);
  } catch (error) {
    if (error instanceof OpenloopError) throw error;
    throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, { where: { file } });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The first line of a DuckDB error's message. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}

/**
 * Throws an `input` error naming `file` when a streamed read stopped after row `read`, before
 * row `expected`: DuckDB's streaming fetch ends a result that fails midway (e.g. on a damaged
 * page) as if it were exhausted, without its error.
 */
export function assertAllRowsRead(file: string, read: number, expected: number): void {
  if (read >= expected) return;
  throw new OpenloopError(
    "input",
    `DuckDB stopped reading after row ${read}, before row ${expected}, without reporting an error (a damaged page?)`,
    { where: { file } },
  );
}

/** The column names and DuckDB type ids of a file, in file order. */
async function describe(
  connection: DuckDBConnection,
  source: string,
): Promise<{ names: string[]; types: DuckDBTypeId[]; aliases: (string | undefined)[] }> {
  const result = await connection.run(`SELECT * FROM ${source} LIMIT 0`);
  const names = result.columnNames();
  return {
    names,
    types: names.map((_, j) => result.columnTypeId(j)),
    aliases: names.map((_, j) => result.columnType(j).alias),
  };
}

/**
 * A value of a row as JSON would hold it: integers that fit a double exactly as numbers, larger
 * ones as decimal strings, also inside structs and lists (changed in place: `JSON.stringify`, which
 * the row path applies to nested values, cannot write a bigint).
 */
function toJs(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toJs(value[i]);
  } else if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const entries = value as Record<string, unknown>;
    for (const key in entries) entries[key] = toJs(entries[key]);
  }
  return value;
}

/**
 * Streams the rows of a file through DuckDB as JavaScript objects; `line` is the 1-based row
 * number. Integers that fit a double exactly are numbers; larger ones are decimal strings (also
 * inside structs and lists).
 */
export async function* streamDuckDBRows(
  file: string,
  format: TableFormat,
): AsyncGenerator<{ row: Record<string, unknown>; line: number }> {
  const instance = await openInstance();
  const connection = await instance.connect();
  const source = duckdbSource(file, format);
  try {
    let result: Awaited<ReturnType<DuckDBConnection["stream"]>>;
    // the number of rows, when the file says it (Parquet metadata), to tell a failed read from the end
    let rows = 0;
    try {
      if (format === "parquet") {
        const count = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
        rows = Number(count.getRows()[0][0]);
      }
      result = await connection.stream(`SELECT * FROM ${source}`);
    } catch (error) {
      throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
        where: { file },
      });
    }
    let line = 0;
    const chunks = result.yieldRowObjectJs();
    for (;;) {
      let chunk: IteratorResult<Record<string, unknown>[]>;
      try {
        chunk = await chunks.next();
      } catch (error) {
        throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
          where: { file },
        });
      }
      if (chunk.done) break;
      for (const raw of chunk.value) {
        const row: Record<string, unknown> = {};
        for (const key of Object.keys(raw)) row[key] = toJs(raw[key]);
        line++;
        yield { row, line };
      }
    }
    assertAllRowsRead(file, line, rows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Streams the named columns of a file through DuckDB, chunk by chunk. Numeric columns arrive as
 * doubles (integers beyond 2^53 lose precision), booleans as booleans, everything else as text.
 * A name the file lacks is a `column` error listing the columns it has.
 * @example const { chunks } = await streamDuckDBColumns("a.parquet", "parquet", ["x"]); for await (const c of chunks) c.vectors[0].getItem(0)
 */
export async function streamDuckDBColumns(
  file: string,
  format: TableFormat,
  names: string[],
): Promise<DuckDBColumnStream> {
  const source = duckdbSource(file, format);
  const { DuckDBTypeId } = await duckdb();
  const { types, rows } = await withConnection(file, async (connection) => {
    const schema = await describe(connection, source);
    const types = names.map((name) => {
      const j = schema.names.indexOf(name);
      if (j < 0) {
        throw new OpenloopError("column", `column not found (the file has: ${schema.names.join(", ")})`, {
          where: { file, column: name },
        });
      }
      if (schema.aliases[j] === "JSON") return "json";
      return columnType(schema.types[j], DuckDBTypeId);
    });
    if (format !== "parquet") return { types, rows: undefined };
    const count = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
    return { types, rows: Number(count.getRows()[0][0]) };
  });
  const select = names
    .map((name, j) => {
      const id = sqlIdentifier(name);
      if (types[j] === "double") return `CAST(${id} AS DOUBLE)`;
      return types[j] === "boolean" ? id : `CAST(${id} AS VARCHAR)`;
    })
    .join(", ");
  return { names, types, rows, chunks: chunksOf(file, source, `SELECT ${select} FROM ${source}`, rows) };
}

/**
 * The chunks of query `sql` over `source` (reading `file`), which has `rows` rows; when that is
 * unknown (CSV, JSON: no metadata), the rows are counted once the stream ends, and a stream that
 * ended short is run again, materialised, for DuckDB's own error (the line it failed on).
 */
async function* chunksOf(
  file: string,
  source: string,
  sql: string,
  rows: number | undefined,
): AsyncGenerator<DuckDBChunk> {
  const instance = await openInstance();
  const connection = await instance.connect();
  try {
    let result: Awaited<ReturnType<DuckDBConnection["stream"]>>;
    try {
      result = await connection.stream(sql);
    } catch (error) {
      throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
        where: { file },
      });
    }
    let offset = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof result.fetchChunk>>;
      try {
        chunk = await result.fetchChunk();
      } catch (error) {
        throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
          where: { file },
        });
      }
      if (chunk === null || chunk.rowCount === 0) break;
      const vectors: DuckDBVector[] = [];
      for (let j = 0; j < chunk.columnCount; j++) vectors.push(chunk.getColumnVector(j));
      yield { offset, count: chunk.rowCount, vectors };
      offset += chunk.rowCount;
    }
    if (rows === undefined) {
      try {
        const count = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
        const all = Number(count.getRows()[0][0]);
        if (offset < all) await connection.run(sql);
        rows = all;
      } catch (error) {
        throw new OpenloopError("input", `DuckDB cannot read the file: ${firstLine(error)}`, {
          where: { file },
        });
      }
    }
    assertAllRowsRead(file, offset, rows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
