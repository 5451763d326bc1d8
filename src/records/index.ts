/**
 * Records: reading tables (CSV, JSONL, Parquet) row by row or column by column, and the
 * rollout-record layer on top.
 */
export type {
  ColumnKind,
  ColumnValueType,
  ContinuousColumn,
  DiscreteColumn,
  ReadColumnsOptions,
  ReadEngine,
  ReadTableOptions,
  Table,
  TableColumn,
} from "./columns.js";
export { DUCKDB_THRESHOLD_BYTES, readColumns, readTable } from "./columns.js";
export type { CsvOptions, CsvRecord } from "./csv.js";
export { CsvParser, parseCsv, readCsvRows } from "./csv.js";
export type { TableFormat } from "./formats.js";
export { detectFormat, TABLE_FORMATS } from "./formats.js";
export type { LocatedRow, ReadRowsOptions } from "./read-rows.js";
export { readRows } from "./read-rows.js";
