/**
 * Column readers for estimation: reads named columns of a CSV, JSONL or Parquet file into typed
 * arrays (Float64Array for numbers, Int32Array codes for categories), streaming, with memory
 * proportional to rows x selected columns, never to the whole table. Detects each column's
 * kind (text, booleans and integers are discrete; non-integer numbers continuous) and rejects
 * missing, non-finite and mixed-type values with the file, line and column.
 */
import { statSync } from "node:fs";
import { OpenloopError } from "../errors.js";
import { readCsvBatches } from "./csv.js";
import { detectFormat, type TableFormat } from "./formats.js";
import { streamDuckDBColumns } from "./parquet.js";
import { assertReadable, readJsonlBatches } from "./read-rows.js";

/** Whether a column is treated as a discrete (categorical) or a continuous variable. */
export type ColumnKind = "discrete" | "continuous";

/** The type of a column's values; `mixed` when a forced-discrete column holds several. */
export type ColumnValueType = "number" | "string" | "boolean" | "mixed";

/** A discrete column: dense codes 0..levels.length-1 and the value of each code. */
export interface DiscreteColumn {
  name: string;
  kind: "discrete";
  valueType: ColumnValueType;
  codes: Int32Array;
  levels: unknown[];
  /** The numeric values, for a numeric column. */
  values?: Float64Array;
}

/** A continuous column: its finite values. */
export interface ContinuousColumn {
  name: string;
  kind: "continuous";
  valueType: "number";
  values: Float64Array;
}

/** A column read for estimation. */
export type TableColumn = DiscreteColumn | ContinuousColumn;

/** Named columns of one file, all of length `n`. */
export interface Table {
  file: string;
  format: TableFormat;
  n: number;
  columns: Record<string, TableColumn>;
}

/** How a file is read: streamed by openloop's own parsers, or through DuckDB. */
export type ReadEngine = "auto" | "stream" | "duckdb";

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** The file's format; by default told from its extension. */
  format?: TableFormat;
  /** Columns to treat as discrete whatever their values (mixed value types are then allowed). */
  discrete?: string[];
  /** Columns to treat as continuous (they must hold numbers). */
  continuous?: string[];
  /** `auto` (default): DuckDB for Parquet and for CSV/JSONL files above 64 MiB. */
  engine?: ReadEngine;
}

/** CSV and JSONL files larger than this are read through DuckDB by the `auto` engine. */
export const DUCKDB_THRESHOLD_BYTES = 64 * 1024 * 1024;

type Mode = "auto" | "discrete" | "continuous" | "any";

interface Where {
  line?: number;
  row?: number;
}

const numberText = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const nonFiniteText = /^[+-]?(?:nan|inf|infinity)$/i;

/** Accumulates one column's values row by row into typed arrays. */
class ColumnBuilder {
  private numbers?: Float64Array;
  private codes?: Int32Array;
  private readonly codeOf = new Map<unknown, number>();
  private readonly levels: unknown[] = [];
  private capacity = 1024;
  /** The last value coded and its code: rows grouped by prompt repeat a value many times in a row. */
  private lastValue: unknown = undefined;
  private lastCode = -1;
  private count = 0;
  private type?: "number" | "string" | "boolean";
  private firstWhere?: Where;
  private mixed = false;
  allIntegers = true;

  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly mode: Mode,
    private readonly textual: boolean,
  ) {}

  private fail(message: string, where: Where, hint?: string): never {
    const suffix = where.row !== undefined ? ` (row ${where.row})` : "";
    throw new OpenloopError("input", `${message}${suffix}`, {
      where: { file: this.file, line: where.line, column: this.name },
      hint,
    });
  }

  add(raw: unknown, where: Where): void {
    let value = raw;
    if (this.textual && typeof raw === "string") {
      const text = raw.trim();
      if (numberText.test(text)) value = Number(text);
      else if (nonFiniteText.test(text))
        this.fail(`non-finite value '${raw}' (estimates need finite numbers)`, where);
    }
    if (value === null || value === undefined || value === "") {
      this.fail("missing value", where, "fill in or drop the rows with missing values");
    }
    if (typeof value === "bigint") value = Number(value);
    const type = typeof value;
    if (type !== "number" && type !== "string" && type !== "boolean") {
      this.fail(
        `unsupported value ${JSON.stringify(value)} (expected a number, a string or a boolean)`,
        where,
      );
    }
    if (type === "number" && !Number.isFinite(value as number)) {
      this.fail(`non-finite value ${String(value)} (estimates need finite numbers)`, where);
    }
    const t = type as "number" | "string" | "boolean";
    if (this.type === undefined) {
      this.type = t;
      this.firstWhere = where;
    } else if (t !== this.type && !this.mixed) {
      if (this.mode === "auto" || this.mode === "continuous") {
        const first = this.firstWhere?.line ?? this.firstWhere?.row;
        this.fail(
          `mixed types: ${this.type} values (the first at ${this.firstWhere?.line !== undefined ? "line" : "row"} ${first}) and ${t} ${JSON.stringify(value)}`,
          where,
          `force a kind with --discrete ${this.name} to treat every value as a category`,
        );
      }
      this.mixed = true;
    }
    if (this.count === this.capacity) this.grow();
    if (t === "number") {
      if (this.numbers === undefined) this.numbers = new Float64Array(this.capacity).fill(Number.NaN);
      this.numbers[this.count] = value as number;
      if (this.allIntegers && !Number.isInteger(value)) this.allIntegers = false;
    } else {
      if (this.mode === "continuous") {
        this.fail(`${t} value ${JSON.stringify(value)} in a continuous column (it must hold numbers)`, where);
      }
      if (this.codes === undefined) this.codes = new Int32Array(this.capacity).fill(-1);
      this.codes[this.count] = this.code(value);
    }
    this.count++;
  }

  private code(value: unknown): number {
    if (value === this.lastValue) return this.lastCode;
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.levels.length;
      this.codeOf.set(value, code);
      this.levels.push(value);
    }
    this.lastValue = value;
    this.lastCode = code;
    return code;
  }

  /** Sizes the arrays for `rows` rows up front (before the first value), when the count is known. */
  reserve(rows: number): void {
    if (this.count === 0 && this.numbers === undefined && this.codes === undefined && rows > this.capacity) {
      this.capacity = rows;
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    if (this.numbers !== undefined) {
      const next = new Float64Array(capacity).fill(Number.NaN);
      next.set(this.numbers);
      this.numbers = next;
    }
    if (this.codes !== undefined) {
      const next = new Int32Array(capacity).fill(-1);
      next.set(this.codes);
      this.codes = next;
    }
    this.capacity = capacity;
  }

  /** The finished column: numeric values when every value is a number, else codes over all values. */
  finish(): { numbers?: Float64Array; codes?: Int32Array; levels: unknown[]; valueType: ColumnValueType } {
    const n = this.count;
    const valueType: ColumnValueType = this.mixed ? "mixed" : (this.type ?? "number");
    const numbers = this.numbers?.subarray(0, n);
    if (this.codes === undefined) return { numbers: numbers ?? new Float64Array(0), levels: [], valueType };
    const codes = this.codes.subarray(0, n);
    if (numbers !== undefined) {
      for (let i = 0; i < n; i++) if (codes[i] < 0) codes[i] = this.code(numbers[i]);
    }
    return { codes, levels: this.levels, valueType };
  }

  /** Dense codes of a numeric column, levels in order of first appearance. */
  encodeNumbers(numbers: Float64Array): { codes: Int32Array; levels: unknown[] } {
    const codes = new Int32Array(numbers.length);
    for (let i = 0; i < numbers.length; i++) codes[i] = this.code(numbers[i]);
    return { codes, levels: this.levels };
  }
}

function chooseEngine(file: string, format: TableFormat, engine: ReadEngine): "stream" | "duckdb" {
  if (engine !== "auto") return engine;
  if (format === "parquet") return "duckdb";
  return statSync(file).size > DUCKDB_THRESHOLD_BYTES ? "duckdb" : "stream";
}

function notFound(file: string, name: string, available: string[], where = "the file has"): OpenloopError {
  return new OpenloopError("column", `column not found (${where}: ${available.join(", ")})`, {
    where: { file, column: name },
  });
}

async function fill(
  file: string,
  format: TableFormat,
  engine: ReadEngine,
  builders: ColumnBuilder[],
): Promise<number> {
  const names = builders.map((b) => b.name);
  let n = 0;
  if (chooseEngine(file, format, engine) === "duckdb") {
    const stream = await streamDuckDBColumns(file, format, names);
    if (stream.rows !== undefined) for (const builder of builders) builder.reserve(stream.rows);
    for await (const chunk of stream.chunks) {
      for (let j = 0; j < builders.length; j++) {
        const vector = chunk.vectors[j];
        const builder = builders[j];
        if (stream.types[j] === "json") {
          for (let i = 0; i < chunk.count; i++) {
            const text = vector.getItem(i);
            builder.add(typeof text === "string" ? JSON.parse(text) : text, { row: chunk.offset + i + 1 });
          }
          continue;
        }
        for (let i = 0; i < chunk.count; i++) builder.add(vector.getItem(i), { row: chunk.offset + i + 1 });
      }
      n += chunk.count;
    }
    return n;
  }
  if (format === "csv") {
    let indices: number[] | undefined;
    for await (const { header, records } of readCsvBatches(file)) {
      indices ??= names.map((name) => {
        const j = header.indexOf(name);
        if (j < 0) throw notFound(file, name, header);
        return j;
      });
      for (const record of records) {
        for (let c = 0; c < builders.length; c++)
          builders[c].add(record.fields[indices[c]], { line: record.line });
      }
      n += records.length;
    }
    return n;
  }
  for await (const batch of readJsonlBatches(file)) {
    if (n === 0) {
      const first = batch[0].row;
      for (const name of names)
        if (!(name in first)) throw notFound(file, name, Object.keys(first), "the first row has");
    }
    for (const { row, line } of batch) {
      for (const builder of builders) builder.add(row[builder.name], { line });
    }
    n += batch.length;
  }
  return n;
}

function checkNames(names: string[]): void {
  if (names.length === 0) throw new OpenloopError("usage", "no columns to read");
}

/**
 * Reads the named columns of a CSV, JSONL or Parquet file for estimation. Each column's kind is
 * detected (strings, booleans and integer-valued numbers are discrete; other numbers continuous)
 * unless forced with `discrete`/`continuous`. Throws an `OpenloopError` naming the file, line or
 * row, and column for a missing file or column, no rows, a missing, NaN or infinite value, or a
 * column of mixed types.
 * @example const t = await readTable("runs.csv", ["x", "y"]); t.columns.x.kind // "discrete"
 */
export async function readTable(
  file: string,
  names: string[],
  options: ReadTableOptions = {},
): Promise<Table> {
  checkNames(names);
  const format = options.format ?? detectFormat(file);
  assertReadable(file);
  const discrete = new Set(options.discrete ?? []);
  const continuous = new Set(options.continuous ?? []);
  for (const name of discrete) {
    if (continuous.has(name)) {
      throw new OpenloopError("usage", "a column cannot be both --discrete and --continuous", {
        where: { column: name },
      });
    }
  }
  const unique = [...new Set(names)];
  const textual = format === "csv";
  const builders = unique.map((name) => {
    const mode: Mode = discrete.has(name) ? "discrete" : continuous.has(name) ? "continuous" : "auto";
    return new ColumnBuilder(name, file, mode, textual);
  });
  const n = await fill(file, format, options.engine ?? "auto", builders);
  if (n === 0) throw new OpenloopError("input", "no rows: the file has no data", { where: { file } });
  const columns: Record<string, TableColumn> = {};
  for (const builder of builders) {
    const { name } = builder;
    const part = builder.finish();
    if (part.codes !== undefined) {
      columns[name] = {
        name,
        kind: "discrete",
        valueType: part.valueType,
        codes: part.codes,
        levels: part.levels,
      };
      continue;
    }
    const values = part.numbers as Float64Array;
    const kind: ColumnKind = continuous.has(name)
      ? "continuous"
      : discrete.has(name) || builder.allIntegers
        ? "discrete"
        : "continuous";
    if (kind === "continuous") {
      columns[name] = { name, kind, valueType: "number", values };
    } else {
      const { codes, levels } = builder.encodeNumbers(values);
      columns[name] = { name, kind, valueType: "number", codes, levels, values };
    }
  }
  return { file, format, n, columns };
}

/** Options of {@link readColumns}. */
export interface ReadColumnsOptions {
  format?: TableFormat;
  engine?: ReadEngine;
}

/**
 * Reads the named columns of a CSV, JSONL or Parquet file: a column of numbers becomes a
 * Float64Array, any other column an array of its values (CSV text that reads as a number is a
 * number). Missing and non-finite values are input errors; mixed types are allowed.
 * @example const { n, columns } = await readColumns("runs.parquet", ["reward", "prompt_id"])
 */
export async function readColumns(
  file: string,
  names: string[],
  options: ReadColumnsOptions = {},
): Promise<{ n: number; columns: Record<string, unknown[] | Float64Array> }> {
  checkNames(names);
  const format = options.format ?? detectFormat(file);
  assertReadable(file);
  const unique = [...new Set(names)];
  const builders = unique.map((name) => new ColumnBuilder(name, file, "any", format === "csv"));
  const n = await fill(file, format, options.engine ?? "auto", builders);
  const columns: Record<string, unknown[] | Float64Array> = {};
  for (const builder of builders) {
    const part = builder.finish();
    if (part.codes === undefined) {
      columns[builder.name] = part.numbers as Float64Array;
    } else {
      const { codes, levels } = part;
      columns[builder.name] = Array.from(codes, (code) => levels[code]);
    }
  }
  return { n, columns };
}
