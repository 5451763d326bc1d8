/**
 * `openloop schema`: prints the JSON Schema of the pipeline spec, for editors (e.g. the YAML
 * language server's `# yaml-language-server: $schema=...`) and other tools.
 */
import type { Command } from "commander";
import { printJson } from "./output.js";

const EXAMPLES = `
Examples:
  $ openloop schema > openloop-spec.schema.json
  # then, first line of a spec in an editor with the YAML language server:
  # yaml-language-server: $schema=./openloop-spec.schema.json`;

/** Registers `openloop schema`. */
export function registerSchema(program: Command): Command {
  return program
    .command("schema")
    .description("print the JSON Schema of the pipeline spec")
    .addHelpText("after", EXAMPLES)
    .action(async () => {
      // loaded when the command runs, so that start-up stays cheap
      const { specJsonSchema } = await import("../spec/index.js");
      printJson(specJsonSchema());
    });
}
