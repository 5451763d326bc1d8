/** SQL text for DuckDB queries: string literals (file paths, search strings) quoted once, here. */

/** `text` as a single-quoted SQL string literal (quotes doubled). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
