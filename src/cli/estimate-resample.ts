/**
 * Uncertainty for `openloop estimate`: a percentile bootstrap interval (resampling the groups of
 * `--group`, e.g. prompts, when given) and a permutation test of I > 0 (for CMI, X is permuted
 * within the strata of the discrete Z), both seeded.
 */
import { OpenloopError } from "../errors.js";
import { bootstrap, createRng, jointCodes, permutationTest } from "../info/index.js";
import type { Table } from "../records/index.js";
import type { EstimateResult } from "./estimate-output.js";
import type { EstimatePlan, EstimateRequest } from "./estimate-plan.js";

/** The resampling options of the command. */
export interface ResampleOptions {
  ci?: number;
  bootstrap?: number;
  group?: string;
  permutations?: number;
  seed: number;
}

/** Default number of bootstrap resamples when only `--ci` is given. */
export const DEFAULT_RESAMPLES = 1000;

/** Default confidence level when only `--bootstrap` is given. */
export const DEFAULT_LEVEL = 0.95;

function discreteCodes(table: Table, name: string, why: string): Int32Array {
  const column = table.columns[name];
  if (column.kind !== "discrete") {
    throw new OpenloopError("usage", `${why}, but the column is continuous`, {
      where: { file: table.file, column: name },
      hint: `--discrete ${name} treats its values as categories`,
    });
  }
  return column.codes;
}

/**
 * The bootstrap interval and the permutation test asked for, as fields of the result. The
 * bootstrap and the permutations draw from two generators forked from `createRng(seed)`.
 */
export function resampleEstimate(
  plan: EstimatePlan,
  request: EstimateRequest,
  table: Table,
  options: ResampleOptions,
): Partial<EstimateResult> {
  const out: Partial<EstimateResult> = {};
  const root = createRng(options.seed);
  const bootRng = root.fork();
  const permRng = root.fork();
  if (options.ci !== undefined || options.bootstrap !== undefined) {
    const level = options.ci ?? DEFAULT_LEVEL;
    const resamples = options.bootstrap ?? DEFAULT_RESAMPLES;
    const groups =
      options.group === undefined
        ? undefined
        : discreteCodes(table, options.group, "--group needs a column of ids");
    const { ci, se } = bootstrap((rows) => plan.statistic(rows), {
      n: table.n,
      groups,
      resamples,
      level,
      rng: bootRng,
    });
    Object.assign(out, { ci, level, se, bootstrap: resamples });
    if (options.group !== undefined && groups !== undefined) {
      out.group = options.group;
      out.groups = new Set(groups).size;
    }
  }
  if (options.permutations !== undefined) {
    const strata =
      request.given.length === 0
        ? undefined
        : jointCodes(
            request.given.map((name) =>
              discreteCodes(
                table,
                name,
                "the CMI permutation test permutes X within strata of the --given columns",
              ),
            ),
          ).codes;
    const test = permutationTest((order) => plan.statistic(undefined, order), {
      n: table.n,
      permutations: options.permutations,
      strata,
      rng: permRng,
    });
    Object.assign(out, {
      p_value: test.pValue,
      null_mean: test.nullMean,
      permutations: options.permutations,
    });
  }
  return out;
}
