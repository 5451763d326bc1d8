import { describe, expect, it } from "vitest";
import { buildLayout, perUnit } from "../../src/analyze/layout.js";
import type { Tally } from "../../src/analyze/tally.js";

// 5 cells: (prompt, iteration index) = (0,0) (1,0) (0,1) (2,1) (1,1); strata: 2 in cell 0, 1 elsewhere
const tally = {
  cellCount: 5,
  cellPrompt: Int32Array.of(0, 1, 0, 2, 1),
  cellIter: Int32Array.of(0, 0, 1, 1, 1),
  cellN: Uint32Array.of(3, 1, 2, 4, 5),
  strataCount: 6,
  stratumCell: Int32Array.of(0, 1, 0, 2, 3, 4),
} as unknown as Tally;

describe("buildLayout and perUnit", () => {
  const layout = buildLayout(tally, [10, 20], 3);

  it("groups strata by cell and cells by iteration", () => {
    expect(Array.from(layout.cellStart)).toEqual([0, 2, 3, 4, 5, 6]);
    expect(Array.from(layout.cellStrata)).toEqual([0, 2, 1, 3, 4, 5]);
    expect(layout.overall).toMatchObject({ iteration: null, units: 3, records: 15 });
    expect(layout.perIteration.map((s) => [s.iteration, Array.from(s.cells), s.units, s.records])).toEqual([
      [10, [0, 1], 2, 4],
      [20, [2, 3, 4], 3, 11],
    ]);
    // the bootstrap's units: the overall scope's are the prompts, an iteration's unit i is the prompt of its cell i
    expect(layout.overall.unitPrompt).toBeNull();
    expect(layout.perIteration.map((s) => Array.from(s.unitPrompt!))).toEqual([
      [0, 1],
      [0, 2, 1],
    ]);
  });

  it("sums cell values per prompt overall and takes each cell's value per iteration", () => {
    const values = Float64Array.of(1.5, 2, 4, 8, 16);
    expect(Array.from(perUnit(layout.overall, values))).toEqual([5.5, 18, 8]);
    expect(Array.from(perUnit(layout.perIteration[0], values))).toEqual([1.5, 2]);
    expect(Array.from(perUnit(layout.perIteration[1], values))).toEqual([4, 8, 16]);
  });
});
