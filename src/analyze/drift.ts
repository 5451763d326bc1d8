/**
 * Metric family 7, drift: whether a signal becomes predictable from the student's own view. The
 * student-side variable is M = "the response is its prompt's most frequent class in this
 * iteration" (ties to the first-seen class); I(S;M|Q) is computed per iteration, and a rising
 * least-squares slope whose last interval lies above the first one's marks a loop that is closing
 * (the signal is drifting toward what the student already believes).
 */
import type { SignalCells } from "./bits.js";
import type { Drift, Estimate } from "./document.js";
import { type Batches, slope } from "./estimate.js";
import type { Layout } from "./layout.js";
import { perUnit } from "./layout.js";

/** Whether drift is measured: with classes and at least two iterations. */
export function measuresDrift(layout: Layout, hasClass: boolean): boolean {
  return hasClass && layout.perIteration.length >= 2;
}

/**
 * Drift of a signal across iterations from its cells' n I(S;M) (`signalCells` with `majority`
 * set as `measuresDrift` says; null without them).
 */
export function drift(layout: Layout, cells: SignalCells, batches: Batches): Drift | null {
  const { n, nIMajority: nI } = cells;
  if (nI === null) return null;
  const perIteration = layout.perIteration.map((scope) => {
    const un = perUnit(scope, n);
    const bits: Estimate = batches.of(scope).ratio(
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
