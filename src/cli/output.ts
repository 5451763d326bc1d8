/**
 * Terminal output conventions: results to stdout, progress and logs to stderr, `--json` prints
 * exactly one JSON document, colour only on a terminal and never when NO_COLOR is set.
 */

/** Whether colour may be used on the given stream (honours NO_COLOR and FORCE_COLOR). */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** A style function for each colour; identity when colour is off. */
export type Styles = Record<keyof typeof codes, (text: string) => string>;

/** Styles for a stream: ANSI codes when colour is enabled, plain text otherwise. */
export function styles(stream: NodeJS.WriteStream = process.stdout): Styles {
  const on = colorEnabled(stream);
  const entries = Object.entries(codes).map(([name, [open, close]]) => [
    name,
    on ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text,
  ]);
  return Object.fromEntries(entries) as Styles;
}

/** Prints one JSON document to stdout (non-finite numbers become null). */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
}

/** Prints a line to stdout. */
export function printLine(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Prints a line to stderr (progress, warnings, logs). */
export function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Formats a number with a fixed count of significant decimals, for readable terminal output. */
export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return Number(value.toFixed(digits)).toString();
}
