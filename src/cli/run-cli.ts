/**
 * Runs the CLI: parses argv, maps errors to messages and exit codes. The only place where
 * exceptions are caught and `process.exitCode` is set.
 */
import { CommanderError } from "commander";
import { formatError, isUserError, OpenloopError } from "../errors.js";
import { createProgram } from "./program.js";

/** Exit code for an error: 2 for user errors and usage, 1 for internal failures. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (isUserError(error)) return 2;
  return 1;
}

/** Parses `argv` and runs the chosen command, setting `process.exitCode`. */
export async function runCli(argv: string[]): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
    if (error instanceof CommanderError) return; // commander already printed the message
    if (error instanceof OpenloopError) {
      process.stderr.write(`openloop: ${formatError(error)}\n`);
      return;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`openloop: internal error (please report): ${message}\n`);
  }
}
