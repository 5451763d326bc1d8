import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countsEntropy, rangeEntropy, signalCells } from "../../src/analyze/bits.js";
import type { Layout } from "../../src/analyze/layout.js";
import type { SignalTally, Tally } from "../../src/analyze/tally.js";
import type { Unit } from "../../src/info/index.js";
import { seededNext, shuffledCells } from "./cell-layouts.js";

/** A random tally of one signal: cells of 0-4 strata, L levels, small or large counts. */
const tallies = fc
  .record({
    L: fc.integer({ min: 1, max: 7 }),
    strata: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 25 }),
    large: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ L, strata, large, seed }) => {
    const next = seededNext(seed);
    const { cellStart, cellStrata, strataCount } = shuffledCells(strata, next);
    const values = Array.from({ length: strataCount * L }, () =>
      next(3) === 0 ? 0 : large ? next(100_000) : next(4),
    );
    const counts = large ? Uint32Array.from(values) : Uint16Array.from(values);
    const stratumN = new Uint32Array(strataCount);
    // a stratum's size counts every record of it, also those without this signal
    for (let st = 0; st < strataCount; st++) {
      for (let l = 0; l < L; l++) stratumN[st] += counts[st * L + l];
      stratumN[st] += next(2);
    }
    return { L, cellCount: strata.length, cellStart, cellStrata, counts, stratumN };
  });

interface Case {
  L: number;
  cellCount: number;
  cellStart: Int32Array;
  cellStrata: Int32Array;
  counts: Uint16Array | Uint32Array;
  stratumN: Uint32Array;
}

/** The per-cell sums as signalCells computed them before the pass was fused (rangeEntropy per stratum). */
function referenceCells(t: Case, unit: Unit) {
  const { L, cellCount, cellStart, cellStrata, counts } = t;
  const nH = new Float64Array(cellCount);
  const nHClass = new Float64Array(cellCount);
  const n = new Float64Array(cellCount);
  const cellCounts = new Float64Array(L);
  for (let c = 0; c < cellCount; c++) {
    cellCounts.fill(0);
    let total = 0;
    let sum = 0;
    for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
      const base = cellStrata[k] * L;
      let ns = 0;
      for (let l = 0; l < L; l++) {
        cellCounts[l] += counts[base + l];
        ns += counts[base + l];
      }
      total += ns;
      sum += ns * rangeEntropy(counts, base, base + L, unit);
    }
    if (total === 0) continue;
    n[c] = total;
    nH[c] = total * countsEntropy(cellCounts, total, unit);
    nHClass[c] = sum;
  }
  return { n, nH, nHClass };
}

/** drift's n I(S;M) per cell as drift.ts computed it on its own. */
function referenceDrift(t: Case, unit: Unit): Float64Array {
  const { L, cellCount, cellStart, cellStrata, counts, stratumN } = t;
  const nI = new Float64Array(cellCount);
  const table = new Float64Array(2 * L);
  const mm = new Float64Array(2);
  const sm = new Float64Array(L);
  for (let c = 0; c < cellCount; c++) {
    let majority = -1;
    sm.fill(0);
    for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
      const st = cellStrata[k];
      if (majority < 0 || stratumN[st] > stratumN[majority]) majority = st;
      for (let l = 0; l < L; l++) sm[l] += counts[st * L + l];
    }
    mm.fill(0);
    for (let l = 0; l < L; l++) {
      const inMajority = majority < 0 ? 0 : counts[majority * L + l];
      table[l] = sm[l] - inMajority;
      table[L + l] = inMajority;
      mm[0] += table[l];
      mm[1] += inMajority;
    }
    const total = mm[0] + mm[1];
    if (total === 0) continue;
    const info =
      countsEntropy(mm, total, unit) + countsEntropy(sm, total, unit) - countsEntropy(table, total, unit);
    nI[c] = total * Math.max(0, info);
  }
  return nI;
}

const bitsOf = (values: Float64Array) => Array.from(new Uint32Array(values.buffer));

describe("signalCells (one pass over each cell's strata)", () => {
  it("gives bit for bit the sums of a per-stratum rangeEntropy and of drift's own pass", () => {
    fc.assert(
      fc.property(tallies, fc.constantFrom<Unit>("bits", "nats"), (t, unit) => {
        const tally = { cellCount: t.cellCount, stratumN: t.stratumN } as Tally;
        const layout = { cellStart: t.cellStart, cellStrata: t.cellStrata } as Layout;
        const signal = { disc: { levels: t.L }, counts: t.counts } as unknown as SignalTally;
        const cells = signalCells(tally, layout, signal, unit, true);
        const reference = referenceCells(t, unit);
        expect(bitsOf(cells.n)).toEqual(bitsOf(reference.n));
        expect(bitsOf(cells.nH)).toEqual(bitsOf(reference.nH));
        expect(bitsOf(cells.nHClass)).toEqual(bitsOf(reference.nHClass));
        expect(bitsOf(cells.nIMajority as Float64Array)).toEqual(bitsOf(referenceDrift(t, unit)));
        expect(signalCells(tally, layout, signal, unit).nIMajority).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("finds drift's information in a hand-made cell: S follows the largest class exactly", () => {
    // one cell, two strata of a binary signal: the largest (6 records) all level 1, the other (2) all level 0
    const tally = { cellCount: 1, stratumN: Uint32Array.from([2, 6]) } as Tally;
    const layout = { cellStart: Int32Array.from([0, 2]), cellStrata: Int32Array.from([0, 1]) } as Layout;
    const signal = { disc: { levels: 2 }, counts: Uint16Array.from([2, 0, 0, 6]) } as unknown as SignalTally;
    const cells = signalCells(tally, layout, signal, "bits", true);
    // I(S;M) = H(S) = h(6/8) bits, and S is constant in each stratum (no intra-class bits)
    const h = -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25));
    expect(cells.nIMajority?.[0]).toBeCloseTo(8 * h, 12);
    expect(cells.nH[0]).toBeCloseTo(8 * h, 12);
    expect(cells.nHClass[0]).toBe(0);
  });
});
