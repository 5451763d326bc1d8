import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantLevels, featurePass } from "../../src/analyze/hacking-strata.js";
import { convertNats, type Unit, xlnx } from "../../src/info/index.js";
import { seededNext, shuffledCells } from "./cell-layouts.js";

/** n I(S;F) of a B x L table read at `at(b, l)`, in the summation order of featurePass (every cell, zeros too). */
function tableInfo(B: number, L: number, at: (b: number, l: number) => number) {
  let n = 0;
  let cellsTerm = 0;
  let fTerm = 0;
  let fLevels = 0;
  const sm = new Float64Array(L);
  for (let b = 0; b < B; b++) {
    let nf = 0;
    for (let l = 0; l < L; l++) {
      const v = at(b, l);
      nf += v;
      sm[l] += v;
      cellsTerm += xlnx(v);
    }
    fLevels += nf > 0 ? 1 : 0;
    fTerm += xlnx(nf);
    n += nf;
  }
  let sLevels = 0;
  let sTerm = 0;
  for (let l = 0; l < L; l++) {
    sLevels += sm[l] > 0 ? 1 : 0;
    sTerm += xlnx(sm[l]);
  }
  const varies = fLevels >= 2 && sLevels > 1;
  return { n, varies, nInfo: varies ? Math.max(0, cellsTerm - fTerm - sTerm + xlnx(n)) : 0 };
}

/** featurePass as first written: every stratum's and every pooled cell's full table. */
function reference(
  cellIter: Int32Array,
  cellStart: Int32Array,
  cellStrata: Int32Array,
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  unit: Unit,
) {
  const cells = cellStart.length - 1;
  const condN = new Float64Array(cells);
  const condNI = new Float64Array(cells);
  const margNI = new Float64Array(cells);
  const informative: number[][] = [];
  for (let c = 0; c < cells; c++) {
    const pooled = new Float64Array(B * L);
    let n = 0;
    let nInfo = 0;
    for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
      const st = cellStrata[k];
      const at = (b: number, l: number) => counts[st * B * L + b * L + l];
      for (let i = 0; i < B * L; i++) pooled[i] += counts[st * B * L + i];
      const sums = tableInfo(B, L, at);
      n += sums.n;
      nInfo += sums.nInfo;
      if (sums.varies) informative.push([st, sums.n, cellIter[c]]);
    }
    condN[c] = n;
    condNI[c] = convertNats(nInfo, unit);
    margNI[c] = convertNats(tableInfo(B, L, (b, l) => pooled[b * L + l]).nInfo, unit);
  }
  return { condN, condNI, margNI, informative };
}

/** Random cells of strata with B x L tables: sparse small counts, or large ones; some strata with S constant. */
const cases = fc
  .record({
    B: fc.integer({ min: 1, max: 6 }),
    L: fc.integer({ min: 1, max: 8 }),
    strata: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 20 }),
    large: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ B, L, strata, large, seed }) => {
    const next = seededNext(seed);
    const { cellStart, cellStrata, strataCount } = shuffledCells(strata, next);
    const values: number[] = [];
    for (let st = 0; st < strataCount; st++) {
      // a third of the strata have one signal level only (the constant path)
      const only = next(3) === 0 ? next(L) : -1;
      for (let i = 0; i < B * L; i++) {
        const zero = (only >= 0 && i % L !== only) || next(2) === 0;
        values.push(zero ? 0 : large ? 1 + next(70_000) : 1 + next(3));
      }
    }
    const counts = large ? Uint32Array.from(values) : Uint16Array.from(values);
    const cellIter = Int32Array.from(strata, () => next(3));
    return { B, L, cellStart, cellStrata, counts, cellIter };
  });

const bitsOf = (values: Float64Array) => Array.from(new Uint32Array(values.buffer));

describe("featurePass", () => {
  it("gives bit for bit the sums of every full stratum and pooled table (masked and unmasked tables)", () => {
    fc.assert(
      fc.property(
        cases,
        fc.constantFrom<Unit>("bits", "nats"),
        ({ B, L, cellStart, cellStrata, counts, cellIter }, unit) => {
          const margin = new Float64Array((counts.length / (B * L)) * L);
          for (let i = 0; i < counts.length; i++) margin[Math.floor(i / (B * L)) * L + (i % L)] += counts[i];
          const constant = constantLevels(Uint32Array.from(margin), L);
          const got = featurePass(
            { cellCount: cellStart.length - 1, cellIter },
            { cellStart, cellStrata },
            counts,
            B,
            L,
            constant,
            unit,
          );
          const want = reference(cellIter, cellStart, cellStrata, counts, B, L, unit);
          expect(bitsOf(got.condN)).toEqual(bitsOf(want.condN));
          expect(bitsOf(got.condNI)).toEqual(bitsOf(want.condNI));
          expect(bitsOf(got.margNI)).toEqual(bitsOf(want.margNI));
          const { strata, sizes, iteration, count } = got.informative;
          expect(Array.from({ length: count }, (_, i) => [strata[i], sizes[i], iteration[i]])).toEqual(
            want.informative,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("measures a hand-made stratum: F equal to S on 2 x 2 counts (1 bit per record) and its pooled cell", () => {
    // one cell, two strata: [[2, 0], [0, 2]] (F = S) and S constant at level 1: [[0, 1], [0, 3]]
    const counts = Uint16Array.from([2, 0, 0, 2, 0, 1, 0, 3]);
    const constant = constantLevels(Uint16Array.from([2, 2, 0, 4]), 2);
    const got = featurePass(
      { cellCount: 1, cellIter: Int32Array.from([0]) },
      { cellStart: Int32Array.from([0, 2]), cellStrata: Int32Array.from([0, 1]) },
      counts,
      2,
      2,
      constant,
      "bits",
    );
    expect(got.condN[0]).toBe(8);
    expect(got.condNI[0]).toBeCloseTo(4, 12);
    // pooled [[2, 1], [0, 5]]: 8 I(S;F) = Σ n ln n terms in bits
    const pooled = (xlnx(2) + xlnx(1) + xlnx(5) - xlnx(3) - xlnx(5) - xlnx(2) - xlnx(6) + xlnx(8)) / Math.LN2;
    expect(got.margNI[0]).toBeCloseTo(pooled, 12);
    expect(got.informative.count).toBe(1);
    expect(Array.from(got.informative.sizes.subarray(0, 1))).toEqual([4]);
  });
});
