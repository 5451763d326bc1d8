/**
 * Shared plumbing of the `openloop verify` subcommands: where the records come from (one
 * response argument, stdin, or a table file), running a verifier over them, and printing one
 * verdict per record (text or one JSON document). Returns whether every record passed.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { OpenloopError } from "../errors.js";
import type { VerifierVerdict as Verdict, VerifierRecord, VerifyOptions } from "../run/index.js";
import type { VerifierConfig } from "../spec/index.js";
import { fmt, log, printJson, printLine, styles } from "./output.js";

/** Options every `verify` subcommand that checks responses accepts. */
export interface SourceOptions {
  file?: string;
  field?: string;
  json?: boolean;
}

/** Reads a text file for an option, as an input error naming the file when it cannot. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : (error as Error).message;
    throw new OpenloopError("input", `the ${what} file ${why}`, { where: { file: path } });
  }
}

/** The response text of a single check: the argument, or stdin when it is `-`. */
export function responseArgument(response: string | undefined): string {
  if (response === undefined) {
    throw new OpenloopError("usage", "give a RESPONSE argument ('-' reads stdin) or --file records.jsonl");
  }
  return response === "-" ? readFileSync(0, "utf8") : response;
}

function verdictText(verdict: Verdict): string {
  const s = styles();
  const parts = [verdict.pass ? s.green("pass") : s.red("fail")];
  if (verdict.status !== undefined) parts.push(`status=${verdict.status}`);
  if (verdict.score !== undefined) parts.push(`score=${fmt(verdict.score)}`);
  if (verdict.class !== undefined) parts.push(`class=${verdict.class}`);
  if (verdict.reason !== undefined) parts.push(`(${verdict.reason})`);
  return parts.join(" ");
}

/**
 * Runs `config` on one response or on every row of `options.file` and prints the verdicts.
 * Returns true when all passed.
 */
export async function verifySource(
  config: VerifierConfig,
  response: string | undefined,
  options: SourceOptions & VerifyOptions,
): Promise<boolean> {
  // loaded when the command runs, so that start-up stays cheap
  const { verify } = await import("../run/index.js");
  const field = "field" in config ? config.field : "response";
  const verifyOptions: VerifyOptions = {
    baseDir: options.baseDir ?? (options.file ? dirname(resolve(options.file)) : process.cwd()),
    unsafeNoSandbox: options.unsafeNoSandbox,
  };
  if (options.file === undefined) {
    const record: VerifierRecord = { [field]: responseArgument(response) };
    const verdict = await verify(config, record, verifyOptions);
    if (options.json) printJson(verdict);
    else printLine(verdictText(verdict));
    return verdict.pass;
  }
  if (response !== undefined)
    throw new OpenloopError("usage", "give either a RESPONSE argument or --file, not both");
  const verdicts: (Verdict & { line: number })[] = [];
  let n = 0;
  let passed = 0;
  const { readRows } = await import("../records/index.js");
  for await (const { row, line } of readRows(options.file)) {
    const verdict = await verify(config, row, verifyOptions);
    n += 1;
    if (verdict.pass) passed += 1;
    if (options.json) verdicts.push({ line, ...verdict });
    else printLine(`${line}: ${verdictText(verdict)}`);
  }
  if (options.json) printJson({ n, passed, verdicts });
  else log(`${passed} of ${n} passed`);
  return passed === n;
}
