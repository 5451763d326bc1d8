import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rangeEntropy } from "../../src/analyze/bits.js";
import { surfaceCells } from "../../src/analyze/surface.js";
import type { Unit } from "../../src/info/index.js";
import { seededNext } from "./cell-layouts.js";

/** The per-cell sums as surfaceWaste first computed them: pairs sorted by stratum, rangeEntropy per stratum. */
function reference(
  pairStratum: Int32Array,
  pairN: Uint16Array | Uint32Array,
  stratumCell: Int32Array,
  cellCount: number,
  unit: Unit,
) {
  const S = stratumCell.length;
  const start = new Int32Array(S + 1);
  for (let p = 0; p < pairStratum.length; p++) start[pairStratum[p] + 1]++;
  for (let s = 0; s < S; s++) start[s + 1] += start[s];
  const fill = start.slice(0, S);
  const multiplicity = new Float64Array(pairStratum.length);
  for (let p = 0; p < pairStratum.length; p++) multiplicity[fill[pairStratum[p]]++] = pairN[p];
  const n = new Float64Array(cellCount);
  const nH = new Float64Array(cellCount);
  let classes = 0;
  let forms = 0;
  let maxForms = 0;
  for (let s = 0; s < S; s++) {
    const k = start[s + 1] - start[s];
    if (k === 0) continue;
    let total = 0;
    for (let i = start[s]; i < start[s + 1]; i++) total += multiplicity[i];
    n[stratumCell[s]] += total;
    nH[stratumCell[s]] += total * rangeEntropy(multiplicity, start[s], start[s + 1], unit);
    classes++;
    forms += k;
    maxForms = Math.max(maxForms, k);
  }
  return { n, nH, classes, forms, maxForms };
}

/** Random pairs over strata of cells (some strata without pairs), multiplicities small or large. */
const tallies = fc
  .record({
    cells: fc.integer({ min: 1, max: 6 }),
    strata: fc.integer({ min: 1, max: 15 }),
    pairs: fc.integer({ min: 0, max: 60 }),
    large: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ cells, strata, pairs, large, seed }) => {
    const next = seededNext(seed);
    const stratumCell = Int32Array.from({ length: strata }, () => next(cells));
    const pairStratum = Int32Array.from({ length: pairs }, () => next(strata));
    const values = Array.from({ length: pairs }, () => 1 + (large ? next(70_000) : next(2) * next(4)));
    const pairN = large ? Uint32Array.from(values) : Uint16Array.from(values);
    return { cellCount: cells, strataCount: strata, stratumCell, pairStratum, pairN };
  });

const bitsOf = (values: Float64Array) => Array.from(new Uint32Array(values.buffer));

describe("surfaceCells", () => {
  it("gives bit for bit the sums of pairs sorted by stratum with rangeEntropy per stratum", () => {
    fc.assert(
      fc.property(tallies, fc.constantFrom<Unit>("bits", "nats"), (tally, unit) => {
        const got = surfaceCells(tally, unit);
        const want = reference(tally.pairStratum, tally.pairN, tally.stratumCell, tally.cellCount, unit);
        expect(bitsOf(got.n)).toEqual(bitsOf(want.n));
        expect(bitsOf(got.nH)).toEqual(bitsOf(want.nH));
        expect([got.classes, got.forms, got.maxForms]).toEqual([want.classes, want.forms, want.maxForms]);
      }),
      { numRuns: 400 },
    );
  });

  it("measures a hand-made cell: one class with responses seen 2, 1 and 1 times (1.5 bits), one with one response", () => {
    const got = surfaceCells(
      {
        cellCount: 1,
        strataCount: 2,
        stratumCell: Int32Array.from([0, 0]),
        pairStratum: Int32Array.from([0, 1, 0, 0]),
        pairN: Uint16Array.from([2, 3, 1, 1]),
      },
      "bits",
    );
    expect(Array.from(got.n)).toEqual([7]);
    // H(1/2, 1/4, 1/4) = 1.5 bits over 4 records; the single response of the other class: 0
    expect(got.nH[0]).toBeCloseTo(6, 12);
    expect([got.classes, got.forms, got.maxForms]).toEqual([2, 4, 3]);
  });
});
