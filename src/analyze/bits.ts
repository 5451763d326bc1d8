/**
 * Metric families 1 and 2: the bits a signal injects per sample, I(Y;S|Q) = H(S|Q) (a signal
 * that is a function of the prompt and the response; for a binary verdict the mean over prompts
 * of h(pass rate)), the distribution of pass rates, the prompts that inject nothing, and the
 * meta-level split I(Y;S|Q) = I([Y];S|Q) + I(Y;S|[Y],Q) with efficiency eta = I([Y];S|Q) / I(Y;S|Q).
 * Entropies are plug-in per (iteration, prompt) cell and per (cell, class) stratum, weighted by samples.
 */
import { convertNats, entropyFromCounts, logCount, type Unit, xlnx } from "../info/index.js";
import type { HistogramBin, PassRateDistribution, SignalMetrics, ZeroInfoPrompts } from "./document.js";
import { type Batches, round } from "./estimate.js";
import { type Layout, perUnit, type Scope } from "./layout.js";
import type { SignalTally, Tally } from "./tally.js";

/** Per-cell sums of one signal, computed once and reused by every scope. */
export interface SignalCells {
  /** samples with this signal */
  n: Float64Array;
  /** n * H(S | cell) */
  nH: Float64Array;
  /** Σ over the cell's strata of n * H(S | stratum) */
  nHClass: Float64Array;
  /** 1 when the cell has samples and S is constant on it */
  zero: Float64Array;
  /** 1 when the cell has samples */
  present: Float64Array;
  /** samples that passed (binary signals) */
  pass: Float64Array;
  /**
   * n * I(S;M | cell) of drift.ts, M = "the record is in the cell's largest stratum" (the first
   * of the largest), or null when not asked for
   */
  nIMajority: Float64Array | null;
}

/** Entropy of `counts` (0 for fewer than 2 samples). */
export function countsEntropy(counts: ArrayLike<number>, n: number, unit: Unit): number {
  return n < 2 ? 0 : rangeEntropy(counts, 0, counts.length, unit);
}

/**
 * The plug-in entropy of counts[from..to) (0 when they sum to less than 2), the same number
 * `entropyFromCounts` gives for those counts (same operations in the same order, with the
 * logarithms of small integers read from tables); invalid counts go to `entropyFromCounts` for its error.
 */
export function rangeEntropy(counts: ArrayLike<number>, from: number, to: number, unit: Unit): number {
  let total = 0;
  let sumNLogN = 0;
  for (let i = from; i < to; i++) {
    const c = counts[i];
    if (c > 0 && c !== Number.POSITIVE_INFINITY) {
      total += c;
      sumNLogN += xlnx(c);
    } else if (c !== 0) {
      return entropyFromCounts(Array.prototype.slice.call(counts, from, to) as number[], { unit });
    }
  }
  return sumsEntropy(total, sumNLogN, unit);
}

/**
 * The plug-in entropy of counts from their total and Σ c ln c over them (0 when the total is
 * below 2): ln total - Σ c ln c / total, clamped at 0.
 */
export function sumsEntropy(total: number, sumNLogN: number, unit: Unit): number {
  return total < 2 ? 0 : convertNats(Math.max(logCount(total) - sumNLogN / total, 0), unit);
}

/**
 * Computes the per-cell sums of a signal (with `majority`, also drift's n I(S;M), see
 * `SignalCells.nIMajority`): one pass over each cell's strata.
 */
export function signalCells(
  tally: Tally,
  layout: Layout,
  signal: SignalTally,
  unit: Unit,
  majority = false,
): SignalCells {
  const cells = tally.cellCount;
  const out: SignalCells = {
    n: new Float64Array(cells),
    nH: new Float64Array(cells),
    nHClass: new Float64Array(cells),
    zero: new Float64Array(cells),
    present: new Float64Array(cells),
    pass: new Float64Array(cells),
    nIMajority: majority ? new Float64Array(cells) : null,
  };
  fillSignalCells(
    signal.counts,
    signal.disc.levels,
    layout.cellStart,
    layout.cellStrata,
    tally.stratumN,
    unit,
    out,
  );
  return out;
}

// a loop with nothing after it: one optimised compile serves every call
function fillSignalCells(
  counts: Uint16Array | Uint32Array,
  L: number,
  cellStart: Int32Array,
  cellStrata: Int32Array,
  stratumN: Uint32Array,
  unit: Unit,
  out: SignalCells,
): void {
  const cellCounts = new Float64Array(L);
  // drift's (M, S) table, M = 0 (other strata) then M = 1 (the largest stratum), and the M margin
  const table = new Float64Array(2 * L);
  const mm = new Float64Array(2);
  const nIMajority = out.nIMajority;
  for (let c = 0; c + 1 < cellStart.length; c++) {
    for (let l = 0; l < L; l++) cellCounts[l] = 0;
    let n = 0;
    let nHClass = 0;
    let majority = -1;
    for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
      const st = cellStrata[k];
      if (majority < 0 || stratumN[st] > stratumN[majority]) majority = st;
      const base = st * L;
      // the stratum's entropy as rangeEntropy computes it (integer counts: never invalid)
      let ns = 0;
      let sumNLogN = 0;
      for (let l = 0; l < L; l++) {
        const v = counts[base + l];
        cellCounts[l] += v;
        if (v > 0) {
          ns += v;
          sumNLogN += xlnx(v);
        }
      }
      n += ns;
      if (ns >= 2) nHClass += ns * sumsEntropy(ns, sumNLogN, unit);
    }
    if (n === 0) continue;
    const h = countsEntropy(cellCounts, n, unit);
    out.n[c] = n;
    out.nH[c] = n * h;
    out.nHClass[c] = nHClass;
    out.present[c] = 1;
    out.zero[c] = h === 0 ? 1 : 0;
    out.pass[c] = L === 2 ? cellCounts[1] : 0;
    if (nIMajority === null) continue;
    // integer counts: the other strata's row is exactly the cell's minus the largest's
    mm[0] = 0;
    mm[1] = 0;
    for (let l = 0; l < L; l++) {
      const inMajority = counts[majority * L + l];
      table[l] = cellCounts[l] - inMajority;
      table[L + l] = inMajority;
      mm[0] += table[l];
      mm[1] += inMajority;
    }
    const info = countsEntropy(mm, n, unit) + h - countsEntropy(table, n, unit);
    nIMajority[c] = n * Math.max(0, info);
  }
}

function passRates(scope: Scope, cells: SignalCells): PassRateDistribution {
  const bins: HistogramBin[] = Array.from({ length: 10 }, (_, i) => ({
    lo: round(i / 10),
    hi: round((i + 1) / 10),
    count: 0,
  }));
  let prompts = 0;
  let sum = 0;
  let alwaysPass = 0;
  let alwaysFail = 0;
  for (const c of scope.cells) {
    const n = cells.n[c];
    if (n === 0) continue;
    const p = cells.pass[c] / n;
    prompts++;
    sum += p;
    if (p === 1) alwaysPass++;
    if (p === 0) alwaysFail++;
    bins[Math.min(9, Math.floor(p * 10))].count++;
  }
  return {
    bins,
    prompts,
    mean: prompts === 0 ? null : round(sum / prompts),
    always_pass: alwaysPass,
    always_fail: alwaysFail,
  };
}

/** The family 1 and 2 metrics of one signal on one scope (intervals come from the scope's batch). */
export function signalMetrics(
  scope: Scope,
  cells: SignalCells,
  binary: boolean,
  hasClass: boolean,
  batches: Batches,
): SignalMetrics {
  const batch = batches.of(scope);
  const n = perUnit(scope, cells.n);
  const records = n.reduce((a, b) => a + b, 0);
  const nH = perUnit(scope, cells.nH);
  const nHClass = perUnit(scope, cells.nHClass);
  const zero = perUnit(scope, cells.zero);
  const present = perUnit(scope, cells.present);
  const metrics: SignalMetrics = {
    bits_per_sample: batch.ratio(nH, n, records),
    zero_info_prompt_fraction: batch.ratio(zero, present, records),
    pass_rate: binary ? passRates(scope, cells) : null,
    task_bits: null,
    intra_class_bits: null,
    efficiency: null,
  };
  if (hasClass) {
    metrics.task_bits = batch.add([nH, nHClass, n], ([a, b, c]) => (a - b) / c, records);
    metrics.intra_class_bits = batch.ratio(nHClass, n, records);
    metrics.efficiency = batch.add([nH, nHClass], ([a, b]) => (a - b) / a, records);
  }
  return metrics;
}

/** The prompts (cells) on which the signal never varied, with up to 20 examples (largest first). */
export function zeroInfoPrompts(
  tally: Tally,
  cells: SignalCells,
  promptIds: string[],
  binary: boolean,
): ZeroInfoPrompts {
  const zero: number[] = [];
  let alwaysPass = 0;
  let alwaysFail = 0;
  for (let c = 0; c < tally.cellCount; c++) {
    if (cells.zero[c] !== 1) continue;
    zero.push(c);
    if (!binary) continue;
    if (cells.pass[c] === cells.n[c]) alwaysPass++;
    else if (cells.pass[c] === 0) alwaysFail++;
  }
  zero.sort((a, b) => cells.n[b] - cells.n[a] || a - b);
  const examples: string[] = [];
  const seen = new Set<number>();
  for (const c of zero) {
    if (examples.length >= 20) break;
    const p = tally.cellPrompt[c];
    if (seen.has(p)) continue;
    seen.add(p);
    examples.push(promptIds[p]);
  }
  return { count: zero.length, always_pass: alwaysPass, always_fail: alwaysFail, examples };
}
