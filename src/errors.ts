/**
 * The one error type of openloop. Errors are data: a stable `code`, a message that says what
 * went wrong and where (file:line, YAML path, column), and an optional hint. Only `cli/` formats
 * and prints them; library code throws them.
 */

/** Stable error codes. `usage` and `input` map to exit code 2 on the CLI. */
export type ErrorCode =
  | "usage"
  | "input"
  | "io"
  | "spec"
  | "column"
  | "estimator"
  | "sandbox"
  | "endpoint"
  | "internal";

/** Where the problem is: any of a file, a line, a column name, a YAML/JSON path. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: string;
  path?: string;
}

/**
 * An error a user can act on.
 * @example throw new OpenloopError("column", "column 'reward' not found", { where: { file: "a.csv", column: "reward" } })
 */
export class OpenloopError extends Error {
  readonly code: ErrorCode;
  readonly where: ErrorLocation;
  readonly hint?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { where?: ErrorLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OpenloopError";
    this.code = code;
    this.where = options.where ?? {};
    this.hint = options.hint;
  }
}

/** Renders a location as `file:line path column` (only the parts that are known). */
export function formatLocation(where: ErrorLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined)
    parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.path !== undefined) parts.push(where.path);
  if (where.column !== undefined) parts.push(`column '${where.column}'`);
  return parts.join(" ");
}

/** One line for a user: `file:line path: message (hint: ...)`. */
export function formatError(error: OpenloopError): string {
  const location = formatLocation(error.where);
  const head = location ? `${location}: ${error.message}` : error.message;
  return error.hint ? `${head}\n  hint: ${error.hint}` : head;
}

/** True for errors caused by the user's input or invocation (exit code 2). */
export function isUserError(error: unknown): error is OpenloopError {
  return error instanceof OpenloopError && error.code !== "internal";
}
