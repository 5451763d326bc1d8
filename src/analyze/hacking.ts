/**
 * Metric family 3, reward-hacking channels: for each feature F, I(S;F|[Y],Q), the information the
 * signal carries about F inside an answer class (strata = iteration, prompt, class), beside
 * I(S;F|Q). Significance is a permutation test that shuffles S within strata (`permutationTest`
 * of src/info), run on at most MAX_PERMUTATION_ROWS rows of randomly chosen informative strata
 * (strata where both F and S vary; the others add exactly 0 under every permutation).
 * A channel is flagged when its p-value is below 0.05 / (number of features) and its excess over
 * the permutation null (the plug-in bias) is at least MIN_EXCESS_BITS.
 */
import { convertNats, createRng, permutationTest, type Unit } from "../info/index.js";
import { countsEntropy } from "./bits.js";
import type { HackingChannel } from "./document.js";
import { type Batches, round } from "./estimate.js";
import type { Layout } from "./layout.js";
import { perUnit } from "./layout.js";
import { mixKey } from "./table.js";
import type { SignalTally, Tally } from "./tally.js";

/** Rows the permutation test runs on, at most. */
export const MAX_PERMUTATION_ROWS = 10_000;
/** Family-wise significance level, split over the features (Bonferroni). */
export const ALPHA = 0.05;
/** Least excess of the observed bits over the permutation null for a flag, in bits. */
export const MIN_EXCESS_BITS = 0.005;

/** Plug-in I(S;F) of a B x L table (row-major, F rows), with scratch marginals. */
function tableInformation(
  table: ArrayLike<number>,
  B: number,
  L: number,
  unit: Unit,
  fm: Float64Array,
  sm: Float64Array,
): { n: number; info: number } {
  fm.fill(0);
  sm.fill(0);
  let n = 0;
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      const v = table[b * L + l];
      fm[b] += v;
      sm[l] += v;
      n += v;
    }
  }
  let fLevels = 0;
  let sLevels = 0;
  for (let b = 0; b < B; b++) if (fm[b] > 0) fLevels++;
  for (let l = 0; l < L; l++) if (sm[l] > 0) sLevels++;
  if (n < 2 || fLevels < 2 || sLevels < 2) return { n, info: 0 };
  const info = countsEntropy(fm, n, unit) + countsEntropy(sm, n, unit) - countsEntropy(table, n, unit);
  return { n, info: Math.max(0, info) };
}

/** Options of the channel analysis. */
export interface HackingOptions {
  unit: Unit;
  permutations: number;
  seed: number;
  /** where the estimates of the overall scope are bootstrapped */
  batches: Batches;
}

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
  signal.features.forEach((feature, index) => {
    const B = feature.disc.levels;
    const fm = new Float64Array(B);
    const sm = new Float64Array(L);
    const cellTable = new Float64Array(B * L);
    const condN = new Float64Array(tally.cellCount);
    const condNI = new Float64Array(tally.cellCount);
    const margNI = new Float64Array(tally.cellCount);
    // informative strata of each iteration (index into layout.perIteration)
    const informative: number[][] = layout.perIteration.map(() => []);
    for (let c = 0; c < tally.cellCount; c++) {
      cellTable.fill(0);
      for (let k = layout.cellStart[c]; k < layout.cellStart[c + 1]; k++) {
        const st = layout.cellStrata[k];
        const table = feature.counts.subarray(st * B * L, (st + 1) * B * L);
        for (let i = 0; i < B * L; i++) cellTable[i] += table[i];
        const { n, info } = tableInformation(table, B, L, options.unit, fm, sm);
        condN[c] += n;
        condNI[c] += n * info;
        if (info > 0) informative[tally.cellIter[c]].push(st);
      }
      const { n, info } = tableInformation(cellTable, B, L, options.unit, fm, sm);
      margNI[c] = n * info;
    }
    scopes.forEach((scope, s) => {
      // with one iteration its channels are the overall ones
      if (s > 0 && scopes.length === 2) {
        lists[s] = lists[0];
        return;
      }
      const unitN = perUnit(scope, condN);
      const records = unitN.reduce((a, b) => a + b, 0);
      const test = permutationOnStrata(
        feature.counts,
        B,
        L,
        s === 0 ? informative.flat() : informative[s - 1],
        options.permutations,
        // the overall test keeps its historical seed; each iteration gets its own stream
        s === 0 ? options.seed + index : mixKey(options.seed + index, s),
      );
      const excessBits = convertNats(test.excessNats, "bits");
      const batch = options.batches.of(scope, scope.units);
      lists[s].push({
        feature: feature.disc.name,
        source: feature.disc.role === "user" ? "user" : "builtin",
        discretisation: feature.disc.method,
        bits: batch.ratio(perUnit(scope, condNI), unitN, records),
        // the null is measured per row of the informative strata; strata where S or F never
        // varies carry 0 bits under the null too, so this puts it on the same base as `bits`
        null_bits: round(
          convertNats((test.nullNats * test.informativeRows) / Math.max(1, records), options.unit),
        ),
        p_value: round(test.pValue),
        permutations: test.permutations,
        flagged: test.pValue <= alpha && excessBits >= MIN_EXCESS_BITS,
        marginal_bits: batch.ratio(perUnit(scope, margNI), unitN, records),
      });
    });
  });
  const ranked = lists.map((list) =>
    list.sort((a, b) => (b.bits.value ?? 0) - (a.bits.value ?? 0) || a.feature.localeCompare(b.feature)),
  );
  return { overall: ranked[0], perIteration: ranked.slice(1) };
}

/**
 * Within-stratum permutation test on a random subset of the informative strata. The statistic
 * Σ n_fs ln n_fs is a monotone function of Σ_strata n I(S;F) (the margins are fixed under the
 * permutation), so it gives the same p-value; the null mean is mapped back to nats per sample.
 */
function permutationOnStrata(
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  informative: number[],
  permutations: number,
  seed: number,
): { pValue: number; permutations: number; nullNats: number; excessNats: number; informativeRows: number } {
  let informativeRows = 0;
  for (const st of informative) for (let i = 0; i < B * L; i++) informativeRows += counts[st * B * L + i];
  if (informative.length === 0 || permutations < 1)
    return { pValue: 1, permutations: 0, nullNats: 0, excessNats: 0, informativeRows };
  const keyed = informative.map((st) => ({ st, key: mixKey(st, seed >>> 0) }));
  keyed.sort((a, b) => a.key - b.key);
  const chosen: number[] = [];
  let rows = 0;
  for (const { st } of keyed) {
    let n = 0;
    for (let i = 0; i < B * L; i++) n += counts[st * B * L + i];
    if (rows > 0 && rows + n > MAX_PERMUTATION_ROWS) continue;
    chosen.push(st);
    rows += n;
    if (rows >= MAX_PERMUTATION_ROWS) break;
  }
  const strata = new Int32Array(rows);
  const fCode = new Int32Array(rows);
  const sCode = new Int32Array(rows);
  const start: number[] = [0];
  let r = 0;
  let maxN = 0;
  let constant = 0;
  const fm = new Float64Array(B);
  const sm = new Float64Array(L);
  chosen.forEach((st, k) => {
    fm.fill(0);
    sm.fill(0);
    let n = 0;
    for (let b = 0; b < B; b++) {
      for (let l = 0; l < L; l++) {
        const v = counts[(st * B + b) * L + l];
        for (let j = 0; j < v; j++) {
          strata[r] = k;
          fCode[r] = b;
          sCode[r] = l;
          r++;
        }
        fm[b] += v;
        sm[l] += v;
        n += v;
      }
    }
    start.push(r);
    maxN = Math.max(maxN, n);
    // Σ n I = Σ n_fs ln n_fs - Σ n_f ln n_f - Σ n_s ln n_s + n ln n
    for (const v of fm) constant += xlogx(v);
    for (const v of sm) constant += xlogx(v);
    constant -= xlogx(n);
  });
  const nlogn = new Float64Array(maxN + 1);
  for (let i = 1; i <= maxN; i++) nlogn[i] = xlogx(i);
  const table = new Int32Array(B * L);
  const result = permutationTest(
    (order) => {
      let total = 0;
      for (let k = 0; k < chosen.length; k++) {
        table.fill(0);
        for (let i = start[k]; i < start[k + 1]; i++) table[fCode[i] * L + sCode[order[i]]]++;
        for (let i = 0; i < table.length; i++) total += nlogn[table[i]];
      }
      return total;
    },
    { n: rows, permutations, strata, rng: createRng(seed) },
  );
  return {
    pValue: result.pValue,
    permutations,
    nullNats: Math.max(0, (result.nullMean - constant) / rows),
    excessNats: (result.observed - result.nullMean) / rows,
    informativeRows,
  };
}

function xlogx(v: number): number {
  return v > 0 ? v * Math.log(v) : 0;
}
