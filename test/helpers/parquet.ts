/**
 * Damages a Parquet file the way a bad disk or a cut copy would: 64 bytes from the data page
 * offset that `parquet_metadata()` gives for a page are scrambled, so DuckDB fails (or, streaming,
 * stops short) when it reaches that page, and reads the pages before it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

/**
 * Writes `file` with the page scrambled whose `data_page_offset` `select` picks from
 * `parquet_metadata(file)` (e.g. "max(data_page_offset)", with `where` "path_in_schema = 'text'"),
 * to `out` (default: over `file`).
 */
export async function damageParquetPage(
  file: string,
  select: string,
  where: string,
  out = file,
): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const pages = await connection.runAndReadAll(
    `SELECT ${select} FROM parquet_metadata('${file}') WHERE ${where}`,
  );
  connection.closeSync();
  instance.closeSync();
  const bytes = readFileSync(file);
  const at = Number(pages.getRows()[0][0]);
  for (let i = at; i < at + 64; i++) bytes[i] = (bytes[i] * 7 + 13) & 255;
  writeFileSync(out, bytes);
}
