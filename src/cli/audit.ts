/**
 * `openloop audit`: reads a pipeline spec and decides, by d-separation on the unrolled
 * information-flow graph, whether the loop is information-open. Exit code 0 open, 1 closed,
 * 2 bad spec.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { OpenloopError } from "../errors.js";
import { UNITS, type Unit } from "../info/index.js";
import { printJson, styles } from "./output.js";
import { choiceOption } from "./parse.js";

const FORMATS = ["text", "md", "json", "dot"] as const;
type Format = (typeof FORMATS)[number];

interface AuditOptions {
  json?: boolean;
  format?: Format;
  unit: Unit;
}

const EXAMPLES = `
The loop is information-closed when the task X is d-separated from the next student Z_{t+1}
given the current student Z_t: then I(X;Z_{t+1}) <= I(X;Z_t) at every iteration.

Examples:
  $ openloop audit examples/pipelines/star.yaml
  $ openloop audit examples/pipelines/self-rewarding.yaml --json
  $ openloop audit examples/pipelines/grpo-math.yaml --format md > audit.md
  $ openloop audit examples/pipelines/spin.yaml --format dot | dot -Tsvg > spin.svg
  $ openloop audit my-loop.yaml --unit nats

Exit codes: 0 open, 1 closed, 2 bad spec or usage.`;

/** Registers `openloop audit`. */
export function registerAudit(program: Command): Command {
  return program
    .command("audit")
    .description("decide whether a pipeline spec is information-open, and why")
    .argument("<spec>", "a pipeline spec (YAML or JSON)")
    .option("--json", "print one JSON document (same as --format json)")
    .addOption(
      new Option("--format <format>", "text, md, json, or dot (the graph, for Graphviz)").argParser(
        choiceOption("--format", FORMATS),
      ),
    )
    .addOption(
      new Option("--unit <unit>", "bits or nats").default("bits").argParser(choiceOption("--unit", UNITS)),
    )
    .addHelpText("after", EXAMPLES)
    .action(async (file: string, options: AuditOptions) => {
      if (options.json && options.format !== undefined && options.format !== "json")
        throw new OpenloopError("usage", `--json conflicts with --format ${options.format}`);
      const format: Format = options.json ? "json" : (options.format ?? "text");
      // loaded when the command runs, so that start-up stays cheap
      const { loadSpec } = await import("../spec/index.js");
      const { auditSpec, renderAuditDot, renderAuditMarkdown, renderAuditText } = await import(
        "../audit/index.js"
      );
      const report = auditSpec(loadSpec(file), { unit: options.unit });
      if (format === "json") printJson({ file, ...report });
      else if (format === "md") process.stdout.write(renderAuditMarkdown(report, file));
      else if (format === "dot") process.stdout.write(renderAuditDot(report));
      else process.stdout.write(renderAuditText(report, styles(), file));
      if (report.verdict === "closed") process.exitCode = 1;
    });
}
