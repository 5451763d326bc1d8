/**
 * Metric family 3, reward-hacking channels: for each feature F, I(S;F|[Y],Q), the information the
 * signal carries about F inside an answer class (strata = iteration, prompt, class), beside
 * I(S;F|Q). Significance is a permutation test that shuffles S within strata
 * (`contingencyPermutationTest` of src/info), run on at most MAX_PERMUTATION_ROWS rows of randomly
 * chosen informative strata (strata where both F and S vary; the others add exactly 0 under every
 * permutation), sequential (Besag & Clifford): it stops once the p-value is sure to miss the flag.
 * A channel is flagged when its p-value is below 0.05 / (number of features) and its excess over
 * the permutation null (the plug-in bias) is at least MIN_EXCESS_BITS.
 */
import { contingencyPermutationTest, convertNats, createRng, type Unit } from "../info/index.js";
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

/** x ln x of the integers below this length, read from a table instead of Math.log. */
const XLNX_TABLE = 4096;
const XLNX = new Float64Array(XLNX_TABLE);
for (let v = 1; v < XLNX_TABLE; v++) XLNX[v] = v * Math.log(v);

function xlnx(v: number): number {
  return v < XLNX_TABLE ? XLNX[v] : v * Math.log(v);
}

/** One count table's size, n I(S;F) in nats and whether both S and F vary in it. */
interface TableSums {
  n: number;
  nInfo: number;
  varies: boolean;
}

/**
 * Completes `out` from a table's sums: n I(S;F) = Σ n_fs ln n_fs - Σ n_f ln n_f - Σ n_s ln n_s
 * + n ln n in nats (plug-in, clamped at 0), the S margin read from `sm`.
 */
function finish(
  out: TableSums,
  n: number,
  cellsTerm: number,
  fTerm: number,
  fLevels: number,
  sm: Float64Array,
): TableSums {
  out.n = n;
  out.varies = false;
  out.nInfo = 0;
  if (fLevels < 2) return out;
  let sLevels = 0;
  let sTerm = 0;
  for (let l = 0; l < sm.length; l++) {
    if (sm[l] > 0) sLevels++;
    sTerm += xlnx(sm[l]);
  }
  out.varies = sLevels > 1;
  if (out.varies) out.nInfo = Math.max(0, cellsTerm - fTerm - sTerm + xlnx(n));
  return out;
}

/**
 * The sums of one stratum's B x L table at `offset` of `counts` (row-major, F rows), which it
 * also adds to `cellTable`; `sm` is scratch for the S margin.
 */
function stratumSums(
  counts: Uint16Array | Uint32Array,
  offset: number,
  B: number,
  L: number,
  sm: Float64Array,
  cellTable: Float64Array,
  out: TableSums,
): TableSums {
  for (let l = 0; l < L; l++) sm[l] = 0;
  let n = 0;
  let cellsTerm = 0;
  let fTerm = 0;
  let fLevels = 0;
  for (let b = 0, i = 0; b < B; b++) {
    let nf = 0;
    for (let l = 0; l < L; l++, i++) {
      const v = counts[offset + i];
      if (v === 0) continue;
      nf += v;
      sm[l] += v;
      cellTable[i] += v;
      cellsTerm += xlnx(v);
    }
    if (nf === 0) continue;
    fLevels++;
    fTerm += xlnx(nf);
    n += nf;
  }
  return finish(out, n, cellsTerm, fTerm, fLevels, sm);
}

/** The sums of a summed B x L table (a cell's strata pooled), which it resets to 0. */
function pooledSums(table: Float64Array, B: number, L: number, sm: Float64Array, out: TableSums): TableSums {
  for (let l = 0; l < L; l++) sm[l] = 0;
  let n = 0;
  let cellsTerm = 0;
  let fTerm = 0;
  let fLevels = 0;
  for (let b = 0, i = 0; b < B; b++) {
    let nf = 0;
    for (let l = 0; l < L; l++, i++) {
      const v = table[i];
      if (v === 0) continue;
      nf += v;
      sm[l] += v;
      cellsTerm += xlnx(v);
      table[i] = 0;
    }
    if (nf === 0) continue;
    fLevels++;
    fTerm += xlnx(nf);
    n += nf;
  }
  return finish(out, n, cellsTerm, fTerm, fLevels, sm);
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
  const sums: TableSums = { n: 0, nInfo: 0, varies: false };
  const constant = constantLevels(signal.counts, L);
  signal.features.forEach((feature, index) => {
    const B = feature.disc.levels;
    const sm = new Float64Array(L);
    const cellTable = new Float64Array(B * L);
    const condN = new Float64Array(tally.cellCount);
    const condNI = new Float64Array(tally.cellCount);
    const margNI = new Float64Array(tally.cellCount);
    // informative strata (both S and F vary) of each iteration (index into layout.perIteration)
    const informative = layout.perIteration.map(() => new Informative());
    const counts = feature.counts;
    const cells = B * L;
    const { cellStart, cellStrata } = layout;
    for (let c = 0; c < tally.cellCount; c++) {
      let nInfo = 0;
      let n = 0;
      const strata = informative[tally.cellIter[c]];
      for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
        const st = cellStrata[k];
        const level = constant[st];
        if (level >= 0) {
          // S constant in the stratum: only column `level` is filled, and n I(S;F) = 0
          for (let i = level, at = st * cells + level; i < cells; i += L, at += L) {
            n += counts[at];
            cellTable[i] += counts[at];
          }
          continue;
        }
        stratumSums(counts, st * cells, B, L, sm, cellTable, sums);
        n += sums.n;
        nInfo += sums.nInfo;
        if (sums.varies) strata.add(st, sums.n);
      }
      condN[c] = n;
      condNI[c] = convertNats(nInfo, options.unit);
      margNI[c] = convertNats(pooledSums(cellTable, B, L, sm, sums).nInfo, options.unit);
    }
    const all = Informative.concat(informative);
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
        s === 0 ? all : informative[s - 1],
        options.permutations,
        alpha,
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

/** Per stratum, the one level of the signal in it (0 when empty), or -1 when the signal varies. */
function constantLevels(counts: Uint16Array | Uint32Array, L: number): Int32Array {
  const out = new Int32Array(counts.length / L);
  for (let st = 0, i = 0; st < out.length; st++) {
    let level = 0;
    let levels = 0;
    for (let l = 0; l < L; l++, i++) {
      if (counts[i] === 0) continue;
      level = l;
      levels++;
    }
    out[st] = levels > 1 ? -1 : level;
  }
  return out;
}

/** Informative strata of one scope with their sizes, in stratum order. */
class Informative {
  strata: number[] = [];
  sizes: number[] = [];
  rows = 0;

  add(stratum: number, size: number): void {
    this.strata.push(stratum);
    this.sizes.push(size);
    this.rows += size;
  }

  static concat(parts: Informative[]): Informative {
    const out = new Informative();
    for (const part of parts)
      for (let i = 0; i < part.strata.length; i++) out.add(part.strata[i], part.sizes[i]);
    return out;
  }

  /**
   * The strata in the order of their seeded keys mixKey(stratum, seed), as long as their rows
   * stay <= MAX_PERMUTATION_ROWS (the first is always taken). Only keys below a threshold that
   * holds about twice the rows needed are sorted; when those run out first, all are.
   */
  choose(seed: number): number[] {
    const needed = Math.min(1, (2 * MAX_PERMUTATION_ROWS) / Math.max(1, this.rows));
    const prefix = (threshold: number): { chosen: number[]; complete: boolean } => {
      const index: number[] = [];
      const keys: number[] = [];
      for (let i = 0; i < this.strata.length; i++) {
        const key = mixKey(this.strata[i], seed >>> 0);
        if (key < threshold) {
          index.push(i);
          keys.push(key);
        }
      }
      const order = index.map((_, k) => k).sort((a, b) => keys[a] - keys[b] || a - b);
      const chosen: number[] = [];
      let rows = 0;
      for (const k of order) {
        const size = this.sizes[index[k]];
        if (rows > 0 && rows + size > MAX_PERMUTATION_ROWS) return { chosen, complete: true };
        chosen.push(this.strata[index[k]]);
        rows += size;
      }
      return { chosen, complete: index.length === this.strata.length };
    };
    const quick = needed < 1 ? prefix(needed * 2 ** 53) : undefined;
    return quick?.complete ? quick.chosen : prefix(Number.POSITIVE_INFINITY).chosen;
  }
}

/**
 * Within-stratum permutation test (`contingencyPermutationTest` of src/info, sequential at the
 * flagging level `alpha`) on the informative strata chosen by `Informative.choose`; the null
 * mean is in nats per sample of the rows tested.
 */
function permutationOnStrata(
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  informative: Informative,
  permutations: number,
  alpha: number,
  seed: number,
): { pValue: number; permutations: number; nullNats: number; excessNats: number; informativeRows: number } {
  const informativeRows = informative.rows;
  if (informative.strata.length === 0 || permutations < 1)
    return { pValue: 1, permutations: 0, nullNats: 0, excessNats: 0, informativeRows };
  const chosen = informative.choose(seed);
  const cells = B * L;
  let rows = 0;
  for (const st of chosen) for (let i = 0; i < cells; i++) rows += counts[st * cells + i];
  const strata = new Int32Array(rows);
  const fCode = new Int32Array(rows);
  const sCode = new Int32Array(rows);
  let r = 0;
  chosen.forEach((st, k) => {
    for (let b = 0, i = st * cells; b < B; b++) {
      for (let l = 0; l < L; l++, i++) {
        for (let v = counts[i]; v > 0; v--, r++) {
          strata[r] = k;
          fCode[r] = b;
          sCode[r] = l;
        }
      }
    }
  });
  const result = contingencyPermutationTest(fCode, sCode, strata, {
    permutations,
    rng: createRng(seed),
    sequential: { alpha },
    unit: "nats",
  });
  return {
    pValue: result.pValue,
    permutations: result.permutations,
    nullNats: Math.max(0, result.nullMean),
    excessNats: result.observed - result.nullMean,
    informativeRows,
  };
}
