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

/**
 * Wraps a statistic so that, on a terminal only, stderr shows how many of `total` evaluations are
 * done (at most four updates a second; the line is erased at the end).
 */
function withProgress<A extends unknown[]>(
  label: string,
  total: number,
  statistic: (...args: A) => number,
): (...args: A) => number {
  if (process.stderr.isTTY !== true) return statistic;
  let done = 0;
  let shown = 0;
  return (...args: A) => {
    const value = statistic(...args);
    done++;
    const now = Date.now();
    if (done === total) process.stderr.write("\r\u001b[K");
    else if (now - shown > 250) {
      shown = now;
      process.stderr.write(`\r${label} ${done}/${total}`);
    }
    return value;
  };
}

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
    const statistic = withProgress("bootstrap", resamples, (rows: Int32Array) => plan.statistic(rows));
    const { ci, se } = bootstrap(statistic, {
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
    const statistic = withProgress("permutations", options.permutations + 1, (order: Int32Array) =>
      plan.statistic(undefined, order),
    );
    const test = permutationTest(statistic, {
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
