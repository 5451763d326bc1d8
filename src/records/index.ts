/**
 * Records: reading tables (CSV, JSONL, Parquet) row by row or column by column, and the
 * rollout-record layer on top.
 */

export type { Canonicaliser, ClassFrom } from "./canonical.js";
export { CANONICALISERS, canonicalise, NO_ANSWER, parseClassFrom } from "./canonical.js";
export type { ColumnarJob, ColumnarPlan, ColumnarUnit, RecordColumns } from "./columnar.js";
export { ColumnarFallback, mayReadColumnar, planColumnarRecords, readColumnarUnits } from "./columnar.js";
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
export { BUILTIN_FEATURES, builtinFeatures, recordFeatures } from "./features.js";
export type { TableFormat } from "./formats.js";
export { detectFormat, TABLE_FORMATS } from "./formats.js";
export type { FieldMapEntry } from "./map.js";
export { applyFieldMap, getPath, parseFieldMap } from "./map.js";
export type { Preset } from "./presets.js";
export { applyPreset, findPreset, PRESETS } from "./presets.js";
export type { LocatedRow, ReadRowsOptions } from "./read-rows.js";
export { readRows } from "./read-rows.js";
export type { RecordField, RecordValue, RolloutRecord } from "./record.js";
export { loadRolloutRecordSchema, parseRolloutRecord, RECORD_FIELDS, toRolloutRecord } from "./record.js";
export type { RecordSource, RecordVisitor, SkippedRow, StreamedRecord, StreamReport } from "./stream.js";
export { forEachRecord, rowToRecord } from "./stream.js";
export type { RecordWriter, RecordWriterOptions } from "./write.js";
export { createRecordWriter } from "./write.js";
