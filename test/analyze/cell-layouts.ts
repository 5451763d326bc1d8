/**
 * Pieces of the property tests' random tallies: a small seeded generator (fast-check draws the
 * seed, so a failing case shrinks and replays) and cells of strata laid out as the tally lays
 * them out.
 */

/** `next(n)`: the next of a seeded linear congruential sequence, in 0..n-1. */
export function seededNext(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

/**
 * Cells holding `strata[c]` strata each: cell c's strata are cellStrata[cellStart[c] ..
 * cellStart[c + 1]), the strata numbered in a shuffled order (the tally numbers them in
 * first-seen order, not cell by cell).
 */
export function shuffledCells(
  strata: number[],
  next: (n: number) => number,
): { cellStart: Int32Array; cellStrata: Int32Array; strataCount: number } {
  const cellStart = new Int32Array(strata.length + 1);
  for (let c = 0; c < strata.length; c++) cellStart[c + 1] = cellStart[c] + strata[c];
  const strataCount = cellStart[strata.length];
  const cellStrata = Int32Array.from({ length: strataCount }, (_, i) => i);
  for (let i = strataCount - 1; i > 0; i--) {
    const j = next(i + 1);
    [cellStrata[i], cellStrata[j]] = [cellStrata[j], cellStrata[i]];
  }
  return { cellStart, cellStrata, strataCount };
}
