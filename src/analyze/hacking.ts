/**
 * Metric family 3, reward-hacking channels: for each feature F, I(S;F|[Y],Q), the information the
 * signal carries about F inside an answer class (strata = iteration, prompt, class), beside
 * I(S;F|Q). Significance is a permutation test that shuffles S within strata (hacking-test.ts:
 * `contingencyPermutationTest` of src/info), run on at most 10,000 rows of randomly chosen
 * informative strata (strata where both F and S vary; the others add exactly 0 under every
 * permutation), sequential (Besag & Clifford): it stops once the p-value is sure to miss the flag.
 * A channel is flagged when its p-value is below 0.05 / (number of features) and its excess over
 * the permutation null (the plug-in bias) is at least MIN_EXCESS_BITS. The per-stratum count
 * sums are in hacking-strata.ts.
 */
import { OpenloopError } from "../errors.js";
import { convertNats, type Unit } from "../info/index.js";
import type { HackingChannel } from "./document.js";
import { type Batches, round } from "./estimate.js";
import { constantLevels, featurePass } from "./hacking-strata.js";
import { permutationOnStrata } from "./hacking-test.js";
import type { Layout, Scope } from "./layout.js";
import { perUnit } from "./layout.js";
import { mixKey } from "./table.js";
import type { SignalTally, Tally } from "./tally.js";

/** Family-wise significance level, split over the features (Bonferroni). */
export const ALPHA = 0.05;
/** Least excess of the observed bits over the permutation null for a flag, in bits. */
const MIN_EXCESS_BITS = 0.005;

/** Options of the channel analysis. */
export interface HackingOptions {
  unit: Unit;
  permutations: number;
  seed: number;
  /** where the estimates of the overall scope are bootstrapped */
  batches: Batches;
  /** where the sums and tests run (default: at once, on this thread) */
  runner?: HackingRunner;
}

/** The channels of one signal overall and in each iteration of the layout. */
export interface ScopedChannels {
  overall: HackingChannel[];
  /** one list per entry of `layout.perIteration`, in its order */
  perIteration: HackingChannel[][];
}

/**
 * Everything the sums and tests of one feature's channels (of one signal) need: typed arrays and
 * numbers, so it can be posted to a worker thread.
 */
export interface HackingJob {
  L: number;
  unit: Unit;
  permutations: number;
  seed: number;
  alpha: number;
  cellCount: number;
  cellIter: Int32Array;
  cellStart: Int32Array;
  cellStrata: Int32Array;
  constant: Int32Array;
  /**
   * the feature's levels, its B x L count table per stratum (null: kept by the metric thread),
   * its index among the signal's features, the signal's index among the tally's
   */
  feature: { B: number; counts: Uint16Array | Uint32Array | null; index: number; signal: number };
  /** overall, then each iteration (only overall when there is one iteration) */
  scopes: Pick<Scope, "iteration" | "cells" | "unit" | "units">[];
}

/** One feature's per-unit sums in one scope (in the unit) and its permutation test. */
export interface ScopeSums {
  condNI: Float64Array;
  margNI: Float64Array;
  unitN: Float64Array;
  test: ReturnType<typeof permutationOnStrata>;
}

/**
 * Runs a job's sums and tests and calls `done` with them, at once or later (e.g. from a worker
 * thread, which may take the job's feature counts: they are not read after `run`).
 */
export interface HackingRunner {
  run(job: HackingJob, done: (sums: ScopeSums[]) => void): void;
}

/** Runs each job at once on this thread. */
export const LOCAL_HACKING: HackingRunner = { run: (job, done) => done(hackingSums(job)) };

/**
 * Per scope of a job: the per-unit sums of n, n I(S;F|stratum) and the pooled n I(S;F), and
 * the permutation test on the scope's informative strata.
 */
export function hackingSums(job: HackingJob): ScopeSums[] {
  const { L, scopes } = job;
  const { B, counts, index } = job.feature;
  if (counts === null) throw new OpenloopError("internal", "a channel job without its feature's counts");
  const { condN, condNI, margNI, informative } = featurePass(job, job, counts, B, L, job.constant, job.unit);
  return scopes.map((scope, s) => {
    const test = permutationOnStrata(
      counts,
      B,
      L,
      informative,
      // index into layout.perIteration (-1: all)
      s - 1,
      job.permutations,
      job.alpha,
      // the overall test keeps its historical seed; each iteration gets its own stream
      s === 0 ? job.seed + index : mixKey(job.seed + index, s),
    );
    return {
      condNI: perUnit(scope, condNI),
      margNI: perUnit(scope, margNI),
      unitN: perUnit(scope, condN),
      test,
    };
  });
}

/**
 * Ranks the features of one signal as channels (largest within-class bits first), over all
 * records and over each iteration. Strata are (iteration, prompt, class) already, so an
 * iteration's channels are the same per-stratum tables restricted to its cells, with the same
 * permutation test (on that iteration's informative strata) and the same Bonferroni rule.
 * The lists are filled as the runner finishes each feature (at once with the default runner).
 */
export function hackingChannels(
  tally: Tally,
  layout: Layout,
  signal: SignalTally,
  options: HackingOptions,
): ScopedChannels {
  const L = signal.disc.levels;
  // with one iteration its channels are the overall ones
  const scopes =
    layout.perIteration.length === 1 ? [layout.overall] : [layout.overall, ...layout.perIteration];
  const lists: HackingChannel[][] = scopes.map(() => []);
  const channels = {
    overall: lists[0],
    perIteration: layout.perIteration.length === 1 ? [lists[0]] : lists.slice(1),
  };
  if (signal.features.length === 0) return channels;
  const alpha = ALPHA / signal.features.length;
  const batches = scopes.map((scope) => options.batches.of(scope));
  const shared = {
    L,
    unit: options.unit,
    permutations: options.permutations,
    seed: options.seed,
    alpha,
    cellCount: tally.cellCount,
    cellIter: tally.cellIter,
    cellStart: layout.cellStart,
    cellStrata: layout.cellStrata,
    constant: constantLevels(signal.counts, L),
    scopes: scopes.map(({ iteration, cells, unit, units }) => ({ iteration, cells, unit, units })),
  };
  const signalIndex = tally.signals.indexOf(signal);
  signal.features.forEach((feature, index) => {
    const job: HackingJob = {
      ...shared,
      feature: { B: feature.disc.levels, counts: feature.counts, index, signal: signalIndex },
    };
    const runner = options.runner ?? LOCAL_HACKING;
    runner.run(job, (sums) => {
      scopes.forEach((_, s) => {
        const { condNI, margNI, unitN, test } = sums[s];
        const records = unitN.reduce((a, b) => a + b, 0);
        const excessBits = convertNats(test.excessNats, "bits");
        lists[s].push({
          feature: feature.disc.name,
          source: feature.disc.role === "user" ? "user" : "builtin",
          discretisation: feature.disc.method,
          bits: batches[s].ratio(condNI, unitN, records),
          // the null is measured per row of the informative strata; strata where S or F never
          // varies carry 0 bits under the null too, so this puts it on the same base as `bits`
          null_bits: round(
            convertNats((test.nullNats * test.informativeRows) / Math.max(1, records), options.unit),
          ),
          p_value: round(test.pValue),
          permutations: test.permutations,
          flagged: test.pValue <= alpha && excessBits >= MIN_EXCESS_BITS,
          marginal_bits: batches[s].ratio(margNI, unitN, records),
        });
        // names are distinct: a total order, whatever order the features' results come in
        lists[s].sort(
          (a, b) => (b.bits.value ?? 0) - (a.bits.value ?? 0) || a.feature.localeCompare(b.feature),
        );
      });
    });
  });
  return channels;
}
