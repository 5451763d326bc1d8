/**
 * Builds the commander program: global options, the registered subcommands, and usage errors
 * that exit with code 2.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { commands } from "./commands.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The openloop program with every subcommand registered. */
export function createProgram(): Command {
  const program = new Command("openloop")
    .description(
      "Information-theoretic criterion for synthetic data (Li, Sun, Deng, ICML 2026):\n" +
        "audit a pipeline, run it with an information ledger, measure what its signals injected.",
    )
    .version(packageVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const register of commands) {
    const sub = register(program);
    sub.exitOverride().showHelpAfterError("(run with --help for usage)");
  }
  program.addHelpText(
    "after",
    "\nExit codes: 0 success, 1 a problem was found (closed loop, failed check), 2 bad usage or input.\n" +
      "Results go to stdout, progress to stderr; --json prints one JSON document. NO_COLOR disables colour.",
  );
  return program;
}
