/**
 * Metric family 7, drift: whether a signal becomes predictable from the student's own view. The
 * student-side variable is M = "the response is its prompt's most frequent class in this
 * iteration" (ties to the first-seen class); I(S;M|Q) is computed per iteration, and a rising
 * least-squares slope whose last interval lies above the first one's marks a loop that is closing
 * (the signal is drifting toward what the student already believes).
 */
import type { Unit } from "../info/index.js";
import { countsEntropy } from "./bits.js";
import type { Drift, Estimate } from "./document.js";
import { type Batches, slope } from "./estimate.js";
import type { Layout } from "./layout.js";
import { perUnit } from "./layout.js";
import type { SignalTally, Tally } from "./tally.js";

/** Drift of a signal across iterations (null with fewer than two iterations or without classes). */
export function drift(
  tally: Tally,
  layout: Layout,
  signal: SignalTally,
  hasClass: boolean,
  unit: Unit,
  batches: Batches,
): Drift | null {
  if (!hasClass || layout.perIteration.length < 2) return null;
  const L = signal.disc.levels;
  const counts = signal.counts;
  const n = new Float64Array(tally.cellCount);
  const nI = new Float64Array(tally.cellCount);
  // the cell's (M, S) table, M = 0 (other classes) then M = 1 (the majority class), and its margins
  const table = new Float64Array(2 * L);
  const mm = new Float64Array(2);
  const sm = new Float64Array(L);
  const { cellStart, cellStrata } = layout;
  const stratumN = tally.stratumN;
  for (let c = 0; c < tally.cellCount; c++) {
    let majority = -1;
    for (let l = 0; l < L; l++) sm[l] = 0;
    for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
      const st = cellStrata[k];
      if (majority < 0 || stratumN[st] > stratumN[majority]) majority = st;
      for (let l = 0; l < L; l++) sm[l] += counts[st * L + l];
    }
    // integer counts: the other classes' row is exactly the cell's minus the majority's
    mm[0] = 0;
    mm[1] = 0;
    for (let l = 0; l < L; l++) {
      const inMajority = majority < 0 ? 0 : counts[majority * L + l];
      table[l] = sm[l] - inMajority;
      table[L + l] = inMajority;
      mm[0] += table[l];
      mm[1] += inMajority;
    }
    const total = mm[0] + mm[1];
    if (total === 0) continue;
    n[c] = total;
    const info =
      countsEntropy(mm, total, unit) + countsEntropy(sm, total, unit) - countsEntropy(table, total, unit);
    nI[c] = total * Math.max(0, info);
  }
  const perIteration = layout.perIteration.map((scope) => {
    const un = perUnit(scope, n);
    const bits: Estimate = batches.of(scope, scope.units).ratio(
      perUnit(scope, nI),
      un,
      un.reduce((a, b) => a + b, 0),
    );
    return { iteration: scope.iteration ?? 0, bits };
  });
  const s = slope(
    perIteration.map((p) => p.iteration),
    perIteration.map((p) => p.bits.value),
  );
  return {
    indicator: "majority_class",
    per_iteration: perIteration,
    slope: s,
    rising: false,
  };
}

/** Sets `rising` once the intervals are known: a positive slope and the last interval above the first. */
export function settleDrift(d: Drift): void {
  const first = d.per_iteration[0].bits;
  const last = d.per_iteration[d.per_iteration.length - 1].bits;
  const separated = first.ci && last.ci ? last.ci[0] > first.ci[1] : (last.value ?? 0) > (first.value ?? 0);
  d.rising = d.slope !== null && d.slope > 0 && separated;
}
