/**
 * `openloop analyze FILES...`: what the signals of a loop injected, from rollout logs. A thin
 * adapter over `analyzeRecords` (src/analyze) and the report renderers (src/report): terminal
 * summary by default, `--json` one document, `--md` / `--html` / `--out DIR` report files.
 */
import type { Command } from "commander";
import { UNITS, type Unit } from "../info/index.js";
import { addSourceOptions, recordSource, type SourceOptions } from "./analyze-source.js";
import { log, printJson, printLine, styles } from "./output.js";
import { choiceOption, intOption, numberOption } from "./parse.js";

interface AnalyzeCliOptions extends SourceOptions {
  by?: "iteration";
  json?: boolean;
  md?: string;
  html?: string;
  out?: string;
  seed: number;
  bootstrap: number;
  level: number;
  permutations: number;
  unit: Unit;
  strict?: boolean;
}

const EXAMPLES = `
Records: one row per sampled response (JSONL, CSV or Parquet) with prompt_id and signals
(see docs/records.md); foreign logs via --preset or --map.

Examples:
  $ openloop analyze rollouts.jsonl
  $ openloop analyze rollouts.parquet --by iteration --json > analysis.json
  $ openloop analyze dumps/*.jsonl --preset verl --class-from response:boxed --html report.html
  $ openloop analyze completions.parquet --preset trl-grpo --out report/
  $ openloop analyze log.csv --map prompt_id=question_id --map signals.reward=score --map class=final_answer
  $ openloop analyze log.jsonl --skip-bad --bootstrap 1000 --seed 7 --unit nats

Exit codes: 0 analysed (findings are in the output), 1 with --strict when a finding is critical,
2 bad usage or input (malformed row with file:line, unknown preset or map target, empty file).`;

async function run(files: string[], options: AnalyzeCliOptions): Promise<void> {
  const source = await recordSource(options);
  // loaded when the command runs, so that start-up stays cheap
  const { analyzeRecords } = await import("../analyze/index.js");
  const { renderTerminal, writeReports } = await import("../report/index.js");
  const doc = await analyzeRecords(files, {
    source,
    seed: options.seed,
    bootstrap: options.bootstrap,
    level: options.level,
    permutations: options.permutations,
    unit: options.unit,
    byIteration: options.by === "iteration",
    classFrom: options.classFrom ?? null,
    preset: options.preset ?? null,
    onProgress: process.stderr.isTTY ? (message) => log(`openloop: ${message}`) : undefined,
  });
  const written = writeReports(doc, { md: options.md, html: options.html, outDir: options.out });
  if (options.json) printJson(doc);
  else printLine(renderTerminal(doc, styles()));
  for (const file of written) log(`openloop: wrote ${file}`);
  if (doc.inputs.skipped > 0) log(`openloop: skipped ${doc.inputs.skipped} bad row(s) (--skip-bad)`);
  if (doc.inputs.error_records > 0)
    log(`openloop: left out ${doc.inputs.error_records} error record(s) (failed generations, no signal)`);
  if (options.strict && doc.findings.some((f) => f.severity === "critical")) process.exitCode = 1;
}

/** Registers `openloop analyze`. */
export function registerAnalyze(program: Command): Command {
  const command = program
    .command("analyze")
    .description(
      "measure the bits each signal injected, efficiency, hacking channels, diversity (from rollout logs)",
    )
    .argument("<files...>", "rollout records: .jsonl, .csv or .parquet");
  addSourceOptions(command)
    .option(
      "--by <dimension>",
      "also summarise per iteration in the terminal",
      choiceOption("--by", ["iteration"] as const),
    )
    .option("--json", "print the analysis document as JSON")
    .option("--md <file>", "write a Markdown report")
    .option("--html <file>", "write a self-contained HTML report")
    .option("--out <dir>", "write analysis.json, report.md and report.html into DIR")
    .option(
      "--seed <n>",
      "seed of bootstrap, permutations and sampling",
      intOption("--seed", 0, 2 ** 31 - 1),
      0,
    )
    .option(
      "--bootstrap <n>",
      "bootstrap replicates over prompts (0: no intervals)",
      intOption("--bootstrap", 0, 100000),
      200,
    )
    .option("--level <p>", "confidence level of the intervals", numberOption("--level", 0.5, 0.999), 0.95)
    .option(
      "--permutations <n>",
      "permutations of the hacking-channel test",
      intOption("--permutations", 1, 100000),
      499,
    )
    .option("--unit <unit>", "bits or nats", choiceOption("--unit", UNITS), "bits")
    .option("--strict", "exit 1 when a finding is critical")
    .addHelpText("after", EXAMPLES)
    .action(run);
  return command;
}
