/**
 * SQL text for DuckDB queries: string literals (file paths, search strings) and identifiers
 * (column names) quoted once, here.
 */

/** `text` as a single-quoted SQL string literal (quotes doubled). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `name` as a double-quoted SQL identifier (quotes doubled). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
