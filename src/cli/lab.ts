/**
 * `openloop lab`: runs the lab's experiments (each claim of the paper with real small learners,
 * and the calibrations against closed forms) and prints predicted against measured; `--json`
 * prints the whole document, `--out DIR` writes it with records, plots and an HTML page.
 */
import type { Command } from "commander";
import { OpenloopError } from "../errors.js";
import { UNITS, type Unit } from "../info/index.js";
import { renderLabTable } from "./lab-table.js";
import { log, printJson, printLine, styles } from "./output.js";
import { choiceOption, collect, intOption } from "./parse.js";

interface LabCliOptions {
  param: string[];
  seeds?: number;
  seed: number;
  out?: string;
  json?: boolean;
  list?: boolean;
  workers?: number;
  unit: Unit;
}

const EXAMPLES = `
Examples:
  $ openloop lab --list
  $ openloop lab                                   # everything, default seeds, the table
  $ openloop lab verifier reward-hacking --seeds 10 --seed 7
  $ openloop lab meta-level --param task=max --param max_forms=8 --json
  $ openloop lab gaussian --param sample_size=100 --param generations=200 --seeds 1000
  $ openloop lab closed-loop --out lab-out        # lab.json, records/, plots/, index.html
  $ openloop lab verifier --unit nats

Each experiment is a set of pipeline specs run on the built-in student; its claims compare the
paper's prediction with what was measured (means over seeds, 95% t intervals). Exit code 1 when
a claim does not hold. Run 'openloop lab --list' for the experiments and docs/lab.md for params.`;

/** Parses repeated `key=value` params. */
export function parseParams(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new OpenloopError("usage", `--param expects key=value, got '${item}'`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

async function lab(names: string[], options: LabCliOptions): Promise<void> {
  // loaded when the command runs, so that start-up stays cheap
  const { experimentNames, labDocument, labEntries, runLab, writeLabOutput } = await import(
    "../lab/index.js"
  );
  if (options.list) {
    const width = Math.max(...experimentNames().map((n) => n.length));
    for (const entry of labEntries()) {
      printLine(`${entry.experiment.name.padEnd(width)}  ${entry.experiment.summary}`);
    }
    return;
  }
  const run = await runLab(names.length > 0 ? names : experimentNames(), {
    params: parseParams(options.param),
    seeds: options.seeds,
    seed: options.seed,
    workers: options.workers,
    unit: options.unit,
    keepRecords: options.out !== undefined,
    onProgress: (line) => log(line),
  });
  if (options.out !== undefined) {
    const written = await writeLabOutput(options.out, run);
    log(`lab: wrote ${written.length} files to ${options.out} (open ${options.out}/index.html)`);
  }
  if (options.json) printJson(labDocument(run));
  else printLine(renderLabTable(run, styles()));
  if (run.experiments.some((e) => e.claims.some((c) => !c.holds))) process.exitCode = 1;
}

/** Registers `openloop lab`. */
export function registerLab(program: Command): Command {
  return program
    .command("lab")
    .description(
      "reproduce the paper's claims with small learners and check calibrations against closed forms",
    )
    .argument("[experiments...]", "experiments to run (default: all; see --list)")
    .option("--param <key=value>", "set an experiment param (repeatable)", collect, [])
    .option(
      "--seeds <n>",
      "seeds per experiment (default: each experiment's own)",
      intOption("--seeds", 1, 100_000),
    )
    .option("--seed <n>", "first seed (seed i is seed + i)", intOption("--seed", 0, 2 ** 31), 1)
    .option(
      "--workers <n>",
      "worker threads (default: available parallelism)",
      intOption("--workers", 1, 256),
    )
    .option(
      "--unit <unit>",
      "unit of information in series and claims: bits or nats",
      choiceOption("--unit", UNITS),
      "bits",
    )
    .option("--out <dir>", "write lab.json, rollout records, SVG plots and index.html")
    .option("--json", "print one JSON document")
    .option("--list", "list the experiments, one line each")
    .addHelpText("after", EXAMPLES)
    .action(lab);
}
