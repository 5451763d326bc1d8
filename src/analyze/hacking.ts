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
import { convertNats, type Unit } from "../info/index.js";
import type { HackingChannel } from "./document.js";
import { type Batches, round } from "./estimate.js";
import { constantLevels, featurePass } from "./hacking-strata.js";
import {
  prepareStrataTest,
  runStrataTest,
  type StrataTestJob,
  type StrataTestResult,
} from "./hacking-test.js";
import type { Layout } from "./layout.js";
import { perUnit } from "./layout.js";
import { mixKey } from "./table.js";
import type { SignalTally, Tally } from "./tally.js";

/** Family-wise significance level, split over the features (Bonferroni). */
export const ALPHA = 0.05;
/** Least excess of the observed bits over the permutation null for a flag, in bits. */
export const MIN_EXCESS_BITS = 0.005;

/** Options of the channel analysis. */
export interface HackingOptions {
  unit: Unit;
  permutations: number;
  seed: number;
  /** where the estimates of the overall scope are bootstrapped */
  batches: Batches;
  /** runs the permutation tests (default: at once, on this thread) */
  tests?: StrataTests;
}

/**
 * Runs channel tests: `done` is called with each job's result, at once or later (e.g. from a
 * worker thread); the channels are complete once every `done` has been called.
 */
export interface StrataTests {
  submit(job: StrataTestJob, done: (result: StrataTestResult) => void): void;
}

/** Runs each test at once on this thread. */
export const LOCAL_TESTS: StrataTests = { submit: (job, done) => done(runStrataTest(job)) };

/** The channels of one signal overall and in each iteration of the layout. */
export interface ScopedChannels {
  overall: HackingChannel[];
  /** one list per entry of `layout.perIteration`, in its order */
  perIteration: HackingChannel[][];
}

/**
 * Ranks the features of one signal as channels (largest within-class bits first), over all
 * records and over each iteration. Strata are (iteration, prompt, class) already, so an
 * iteration's channels are the same per-stratum tables restricted to its cells, with the same
 * permutation test (on that iteration's informative strata) and the same Bonferroni rule.
 */
export function hackingChannels(
  tally: Tally,
  layout: Layout,
  signal: SignalTally,
  options: HackingOptions,
): ScopedChannels {
  const L = signal.disc.levels;
  const scopes = [layout.overall, ...layout.perIteration];
  const lists: HackingChannel[][] = scopes.map(() => []);
  const featureCount = signal.features.length;
  const alpha = ALPHA / Math.max(1, featureCount);
  const constant = constantLevels(signal.counts, L);
  signal.features.forEach((feature, index) => {
    const B = feature.disc.levels;
    const { condN, condNI, margNI, informative } = featurePass(
      tally,
      layout,
      feature.counts,
      B,
      L,
      constant,
      options.unit,
    );
    scopes.forEach((scope, s) => {
      // with one iteration its channels are the overall ones
      if (s > 0 && scopes.length === 2) {
        lists[s] = lists[0];
        return;
      }
      const unitN = perUnit(scope, condN);
      const records = unitN.reduce((a, b) => a + b, 0);
      const job = prepareStrataTest(
        feature.counts,
        B,
        L,
        informative,
        // index into layout.perIteration (-1: all)
        s - 1,
        options.permutations,
        alpha,
        // the overall test keeps its historical seed; each iteration gets its own stream
        s === 0 ? options.seed + index : mixKey(options.seed + index, s),
      );
      const batch = options.batches.of(scope, scope.units);
      // the test's fields are set by `settle` (now, or when a worker thread answers); the key order is the document's
      const channel: HackingChannel = {
        feature: feature.disc.name,
        source: feature.disc.role === "user" ? "user" : "builtin",
        discretisation: feature.disc.method,
        bits: batch.ratio(perUnit(scope, condNI), unitN, records),
        null_bits: 0,
        p_value: 1,
        permutations: 0,
        flagged: false,
        marginal_bits: batch.ratio(perUnit(scope, margNI), unitN, records),
      };
      lists[s].push(channel);
      const settle = (test: StrataTestResult) => {
        const excessBits = convertNats(test.excessNats, "bits");
        // the null is measured per row of the informative strata; strata where S or F never
        // varies carry 0 bits under the null too, so this puts it on the same base as `bits`
        channel.null_bits = round(
          convertNats((test.nullNats * test.informativeRows) / Math.max(1, records), options.unit),
        );
        channel.p_value = round(test.pValue);
        channel.permutations = test.permutations;
        channel.flagged = test.pValue <= alpha && excessBits >= MIN_EXCESS_BITS;
      };
      if ("strata" in job) (options.tests ?? LOCAL_TESTS).submit(job, settle);
      else settle(job);
    });
  });
  const ranked = lists.map((list) =>
    list.sort((a, b) => (b.bits.value ?? 0) - (a.bits.value ?? 0) || a.feature.localeCompare(b.feature)),
  );
  return { overall: ranked[0], perIteration: ranked.slice(1) };
}
