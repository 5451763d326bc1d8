/**
 * `openloop decorrelate FILE --feature F --signal S --out FILE`: per-record weights under which
 * feature F carries no information about signal S inside each answer class, with the channel's
 * bits before and after. A thin adapter over `decorrelate` (src/analyze).
 */
import type { Command } from "commander";
import { UNITS, type Unit } from "../info/index.js";
import { addSourceOptions, recordSource, type SourceOptions } from "./analyze-source.js";
import { fmt, log, printJson, printLine } from "./output.js";
import { choiceOption } from "./parse.js";

interface DecorrelateCliOptions extends SourceOptions {
  feature: string;
  signal: string;
  out: string;
  unit: Unit;
  json?: boolean;
}

const EXAMPLES = `
Weights are w = n_f n_s / (n n_fs) within each (iteration, prompt, class), over the feature
levels on which every signal level occurs (other records get weight 0): under them the weighted
I(S;F|[Y],Q) is 0. The output holds each record with a "weight" field (JSONL or Parquet by
extension); train with those weights.

Examples:
  $ openloop decorrelate rollouts.jsonl --feature length_chars --signal judge --out weighted.jsonl
  $ openloop decorrelate log.parquet --feature has_bullets --signal reward --out w.parquet --json
  $ openloop decorrelate dump.jsonl --preset verl --class-from response:boxed --feature length_tokens --signal score --out w.jsonl`;

async function run(file: string, options: DecorrelateCliOptions): Promise<void> {
  const source = await recordSource(options);
  // loaded when the command runs, so that start-up stays cheap
  const { decorrelate } = await import("../analyze/index.js");
  const result = await decorrelate([file], {
    feature: options.feature,
    signal: options.signal,
    out: options.out,
    source,
    unit: options.unit,
  });
  if (options.json) {
    printJson(result);
    return;
  }
  printLine(
    `I(${result.signal};${result.feature}|class,prompt): ${fmt(result.bits_before)} -> ${fmt(result.bits_after)} ${result.unit} per sample`,
  );
  printLine(
    `${result.weighted} of ${result.records} records re-weighted (weights ${fmt(result.weight_range[0])} .. ${fmt(result.weight_range[1])}) over ${result.strata} strata`,
  );
  if (result.zero_weight > 0) {
    printLine(
      `${result.zero_weight} records got weight 0 (their feature level lacks a signal level in their stratum)`,
    );
  }
  if (result.unbalanceable_strata > 0) {
    printLine(`${result.unbalanceable_strata} strata could not be balanced and keep weight 1`);
  }
  log(`openloop: wrote ${result.out}`);
}

/** Registers `openloop decorrelate`. */
export function registerDecorrelate(program: Command): Command {
  const command = program
    .command("decorrelate")
    .description("weight records so a feature carries no information about a signal inside each class")
    .argument("<file>", "rollout records: .jsonl, .csv or .parquet")
    .requiredOption("--feature <name>", "the feature (built-in like length_chars, or a user feature)")
    .requiredOption("--signal <name>", "the signal")
    .requiredOption("--out <file>", "where to write the weighted records (.jsonl or .parquet)");
  addSourceOptions(command)
    .option("--unit <unit>", "bits or nats", choiceOption("--unit", UNITS), "bits")
    .option("--json", "print the result as JSON")
    .addHelpText("after", EXAMPLES)
    .action(run);
  return command;
}
