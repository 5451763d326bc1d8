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
      const test = permutationOnStrata(
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

/** The informative strata of one feature (S and F both vary), in cell order. */
interface Informative {
  strata: Int32Array;
  sizes: Int32Array;
  /** index into layout.perIteration */
  iteration: Int32Array;
  count: number;
}

/** One feature's per-cell sums (n, Σ n I(S;F|stratum) and n I(S;F) pooled, in the unit) and informative strata. */
interface FeaturePass {
  condN: Float64Array;
  condNI: Float64Array;
  margNI: Float64Array;
  informative: Informative;
}

function featurePass(
  tally: Tally,
  layout: Layout,
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  constant: Int32Array,
  unit: Unit,
): FeaturePass {
  const strataCount = layout.cellStrata.length;
  const out: FeaturePass = {
    condN: new Float64Array(tally.cellCount),
    condNI: new Float64Array(tally.cellCount),
    margNI: new Float64Array(tally.cellCount),
    informative: {
      strata: new Int32Array(strataCount),
      sizes: new Int32Array(strataCount),
      iteration: new Int32Array(strataCount),
      count: 0,
    },
  };
  fillFeaturePass(tally.cellIter, layout.cellStart, layout.cellStrata, counts, B, L, constant, unit, out);
  return out;
}

// Loops live in small functions with nothing after them: one optimised compile serves every call.

function fillFeaturePass(
  cellIter: ArrayLike<number>,
  cellStart: Int32Array,
  cellStrata: Int32Array,
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  constant: Int32Array,
  unit: Unit,
  out: FeaturePass,
): void {
  const { condN, condNI, margNI, informative } = out;
  const sm = new Float64Array(L);
  const cellTable = new Float64Array(B * L);
  const sums: TableSums = { n: 0, nInfo: 0, varies: false };
  const cells = B * L;
  for (let c = 0; c + 1 < cellStart.length; c++) {
    let nInfo = 0;
    let n = 0;
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
      if (sums.varies) {
        informative.strata[informative.count] = st;
        informative.sizes[informative.count] = sums.n;
        informative.iteration[informative.count++] = cellIter[c];
      }
    }
    condN[c] = n;
    condNI[c] = convertNats(nInfo, unit);
    margNI[c] = convertNats(pooledSums(cellTable, B, L, sm, sums).nInfo, unit);
  }
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

/** The rows of the informative strata of one iteration (-1: of all). */
function scopeRows(informative: Informative, iteration: number): number {
  let rows = 0;
  for (let i = 0; i < informative.count; i++)
    if (iteration < 0 || informative.iteration[i] === iteration) rows += informative.sizes[i];
  return rows;
}

/**
 * The informative strata of one iteration (-1: all) in the order of their seeded keys
 * mixKey(stratum, seed), as long as their rows stay <= MAX_PERMUTATION_ROWS (the first is always
 * taken), and their rows. Only keys below a threshold that holds about twice the rows needed are
 * sorted; when those run out first, all are.
 */
function chooseStrata(
  informative: Informative,
  iteration: number,
  rows: number,
  seed: number,
): { chosen: number[]; rows: number } {
  const needed = (2 * MAX_PERMUTATION_ROWS) / Math.max(1, rows);
  if (needed < 1) {
    const quick = keyPrefix(informative, iteration, seed, needed * 2 ** 53);
    if (quick.complete) return quick;
  }
  return keyPrefix(informative, iteration, seed, Number.POSITIVE_INFINITY);
}

/** The prefix of `chooseStrata` among the strata whose key is below `threshold`. */
function keyPrefix(
  informative: Informative,
  iteration: number,
  seed: number,
  threshold: number,
): { chosen: number[]; rows: number; complete: boolean } {
  const keys = new Float64Array(informative.count);
  const index = new Int32Array(informative.count);
  const scope = { candidates: 0, all: 0 };
  collectKeys(informative, iteration, seed, threshold, keys, index, scope);
  const order = Array.from(index.subarray(0, scope.candidates)).sort((a, b) => keys[a] - keys[b] || a - b);
  const out = { chosen: [] as number[], rows: 0, complete: scope.candidates === scope.all };
  for (const i of order) {
    const size = informative.sizes[i];
    if (out.rows > 0 && out.rows + size > MAX_PERMUTATION_ROWS) {
      out.complete = true;
      break;
    }
    out.chosen.push(informative.strata[i]);
    out.rows += size;
  }
  return out;
}

function collectKeys(
  informative: Informative,
  iteration: number,
  seed: number,
  threshold: number,
  keys: Float64Array,
  index: Int32Array,
  scope: { candidates: number; all: number },
): void {
  for (let i = 0; i < informative.count; i++) {
    if (iteration >= 0 && informative.iteration[i] !== iteration) continue;
    scope.all++;
    const key = mixKey(informative.strata[i], seed >>> 0);
    keys[i] = key;
    if (key < threshold) index[scope.candidates++] = i;
  }
}

/** One row per record of the chosen strata: its stratum (index into `chosen`), F and S codes. */
function expandStrata(
  counts: Uint16Array | Uint32Array,
  chosen: number[],
  B: number,
  L: number,
  rows: number,
): { strata: Int32Array; fCode: Int32Array; sCode: Int32Array } {
  const out = { strata: new Int32Array(rows), fCode: new Int32Array(rows), sCode: new Int32Array(rows) };
  fillStrata(counts, chosen, B, L, out.strata, out.fCode, out.sCode);
  return out;
}

// a loop with nothing after it: one optimised compile serves every call
function fillStrata(
  counts: Uint16Array | Uint32Array,
  chosen: number[],
  B: number,
  L: number,
  strata: Int32Array,
  fCode: Int32Array,
  sCode: Int32Array,
): void {
  for (let k = 0, r = 0; k < chosen.length; k++) {
    for (let b = 0, i = chosen[k] * B * L; b < B; b++) {
      for (let l = 0; l < L; l++, i++) {
        for (let v = counts[i]; v > 0; v--, r++) {
          strata[r] = k;
          fCode[r] = b;
          sCode[r] = l;
        }
      }
    }
  }
}

/**
 * Within-stratum permutation test (`contingencyPermutationTest` of src/info, sequential at the
 * flagging level `alpha`) on the informative strata chosen by `chooseStrata`; the null
 * mean is in nats per sample of the rows tested.
 */
function permutationOnStrata(
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  informative: Informative,
  iteration: number,
  permutations: number,
  alpha: number,
  seed: number,
): { pValue: number; permutations: number; nullNats: number; excessNats: number; informativeRows: number } {
  const informativeRows = scopeRows(informative, iteration);
  if (informativeRows === 0 || permutations < 1)
    return { pValue: 1, permutations: 0, nullNats: 0, excessNats: 0, informativeRows };
  const { chosen, rows } = chooseStrata(informative, iteration, informativeRows, seed);
  const { strata, fCode, sCode } = expandStrata(counts, chosen, B, L, rows);
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
