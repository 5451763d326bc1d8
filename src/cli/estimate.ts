/**
 * `openloop estimate`: entropy, mutual information and conditional mutual information of
 * columns of a CSV, JSONL or Parquet file, with the estimator chosen by column kind, bootstrap
 * confidence intervals and permutation tests.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { OpenloopError } from "../errors.js";
import { clipInformation, KNN_TRANSFORMS, type KnnTransform, UNITS, type Unit } from "../info/index.js";
import type { Table } from "../records/index.js";
import { type EstimateResult, formatEstimateLine } from "./estimate-output.js";
import {
  DEFAULTS_TEXT,
  ESTIMATOR_NAMES,
  type EstimateRequest,
  planEstimate,
  QUANTITIES,
  type Quantity,
} from "./estimate-plan.js";
import { resampleEstimate } from "./estimate-resample.js";
import { printJson, printLine, styles } from "./output.js";
import { choiceOption, columnList, intOption, numberOption } from "./parse.js";

interface EstimateOptions {
  x: string[];
  y?: string[];
  given?: string[];
  estimator?: string;
  k: number;
  transform: KnnTransform;
  unit: Unit;
  ci?: number;
  bootstrap?: number;
  group?: string;
  permutations?: number;
  seed: number;
  continuous?: string[];
  discrete?: string[];
  json?: boolean;
}

const EXAMPLES = `
Estimators (--estimator):
  discrete columns:   plugin, miller-madow, chao-shen, james-stein, nsb, grassberger, jackknife
  continuous columns: kl (entropy), ksg and ksg2 (mi), frenzel-pompe (cmi)
  any mix:            mixed (Gao et al. 2017; mi, and cmi by the chain rule)
Defaults: ${DEFAULTS_TEXT}.
Column kinds: text, booleans and integers are discrete; other numbers continuous (force with
--discrete/--continuous). MI and CMI may come out negative: --json reports raw and clipped.

Examples:
  $ openloop estimate entropy examples/data/xor.csv --x y
  $ openloop estimate cmi examples/data/xor.csv --x x --y y --given z --permutations 999
  $ openloop estimate mi examples/data/gaussian.csv --x a --y b --ci 0.95 --json
  $ openloop estimate mi rollouts.parquet --x answer --y verdict --ci 0.95 --group prompt_id
  $ openloop estimate mi data.jsonl --x label --y score --estimator mixed --k 5 --unit nats`;

function usage(message: string, file?: string): OpenloopError {
  return new OpenloopError("usage", message, { where: file === undefined ? {} : { file } });
}

function checkRoles(quantity: Quantity, file: string, options: EstimateOptions): void {
  const y = options.y ?? [];
  const given = options.given ?? [];
  if (quantity === "entropy" && y.length > 0)
    throw usage("entropy takes --x (and optionally --given), not --y", file);
  if (quantity !== "entropy" && y.length === 0) throw usage(`${quantity} needs --y COLS`, file);
  if (quantity === "cmi" && given.length === 0) throw usage("cmi needs --given COLS", file);
  if (quantity === "mi" && given.length > 0) throw usage("mi takes no --given; use cmi for I(X;Y|Z)", file);
  if (options.permutations !== undefined && quantity === "entropy") {
    throw usage("--permutations tests MI or CMI against independence; it does not apply to entropy", file);
  }
  if (options.group !== undefined && options.ci === undefined && options.bootstrap === undefined) {
    throw usage("--group chooses what the bootstrap resamples; add --ci LEVEL or --bootstrap N", file);
  }
}

async function estimate(quantity: Quantity, file: string, options: EstimateOptions): Promise<void> {
  checkRoles(quantity, file, options);
  const request: EstimateRequest = {
    quantity,
    x: options.x,
    y: options.y ?? [],
    given: options.given ?? [],
    estimator: options.estimator,
    k: options.k,
    transform: options.transform,
    unit: options.unit,
    seed: options.seed,
  };
  if (
    request.estimator !== undefined &&
    !(ESTIMATOR_NAMES as readonly string[]).includes(request.estimator)
  ) {
    throw new OpenloopError(
      "estimator",
      `unknown estimator '${request.estimator}' (choose from: ${ESTIMATOR_NAMES.join(", ")})`,
      { where: { file } },
    );
  }
  const roles = [...request.x, ...request.y, ...request.given];
  const names = options.group === undefined ? roles : [...roles, options.group];
  // loaded when the command runs, so that start-up stays cheap
  const { readTable } = await import("../records/index.js");
  const table = await readTable(file, names, {
    discrete: [...(options.discrete ?? []), ...(options.group === undefined ? [] : [options.group])],
    continuous: options.continuous ?? [],
  });
  const result = withFile(table, () => run(request, table, options));
  if (options.json) printJson(result);
  else printLine(formatEstimateLine(result, styles()));
}

/** Adds the file to the location of estimator errors, which know no file. */
function withFile<T>(table: Table, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof OpenloopError && error.where.file === undefined) {
      throw new OpenloopError(error.code, error.message, {
        where: { ...error.where, file: table.file },
        hint: error.hint,
      });
    }
    throw error;
  }
}

function run(request: EstimateRequest, table: Table, options: EstimateOptions): EstimateResult {
  const plan = planEstimate(request, table);
  const value = plan.statistic();
  const roles = [...request.x, ...request.y, ...request.given];
  const clip = request.quantity === "entropy" ? {} : clipInformation(value);
  const result: EstimateResult = {
    quantity: request.quantity,
    estimator: plan.estimator,
    unit: request.unit,
    value,
    ...clip,
    n: table.n,
    ...(plan.family === "knn" ? { k: request.k } : {}),
    ...(plan.family === "knn" && plan.estimator !== "kl" ? { transform: request.transform } : {}),
    file: table.file,
    x: request.x,
    y: request.y,
    given: request.given,
    kinds: Object.fromEntries(roles.map((name) => [name, table.columns[name].kind])),
    seed: request.seed,
  };
  Object.assign(result, resampleEstimate(plan, request, table, options));
  return result;
}

/** Registers `openloop estimate`. */
export function registerEstimate(program: Command): Command {
  return program
    .command("estimate")
    .description("estimate entropy, mutual information or conditional mutual information of table columns")
    .argument("<quantity>", `one of ${QUANTITIES.join(", ")}`, choiceOption("quantity", QUANTITIES))
    .argument("<file>", "a CSV, JSONL or Parquet file")
    .requiredOption(
      "--x <cols>",
      "the X columns (comma-separated; several form one joint variable)",
      columnList,
    )
    .option("--y <cols>", "the Y columns (mi, cmi)", columnList)
    .option("--given <cols>", "the conditioning columns Z (cmi; conditional entropy)", columnList)
    .option("--estimator <name>", `one of ${ESTIMATOR_NAMES.join(", ")} (default: by column kind)`)
    .option("--k <n>", "neighbours of the kNN estimators", intOption("--k", 1), 3)
    .addOption(
      new Option(
        "--transform <name>",
        "per-column transform of the kNN MI/CMI estimators: none, standardize, rank",
      )
        .default("none")
        .argParser(choiceOption("--transform", KNN_TRANSFORMS)),
    )
    .addOption(
      new Option("--unit <unit>", "bits or nats").default("bits").argParser(choiceOption("--unit", UNITS)),
    )
    .option(
      "--ci <level>",
      "bootstrap confidence interval at this level, e.g. 0.95",
      numberOption("--ci", 0.5, 0.9999),
    )
    .option(
      "--bootstrap <n>",
      "bootstrap resamples (default 1000 with --ci)",
      intOption("--bootstrap", 10, 1_000_000),
    )
    .option("--group <col>", "bootstrap resamples the groups of this column (e.g. prompt id), not rows")
    .option(
      "--permutations <n>",
      "permutation test of I > 0 with this many permutations",
      intOption("--permutations", 1, 1_000_000),
    )
    .option(
      "--seed <n>",
      "seed of every random choice (jitter, bootstrap, permutations)",
      intOption("--seed", 0, 2 ** 32 - 1),
      1,
    )
    .option("--continuous <cols>", "treat these columns as continuous", columnList)
    .option("--discrete <cols>", "treat these columns as discrete (categories)", columnList)
    .option("--json", "print one JSON object")
    .addHelpText("after", EXAMPLES)
    .action(async (quantity: Quantity, file: string, options: EstimateOptions) => {
      await estimate(quantity, file, options);
    });
}
