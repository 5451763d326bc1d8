import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CandidateEntry } from "../../src/run/index.js";
import { selectUnit } from "../../src/run/index.js";

const cand = (
  value: boolean | number,
  pass = value === true || (typeof value === "number" && value >= 0.5),
): CandidateEntry => ({
  response: String(value),
  signals: { s: value },
  pass: { s: pass },
});
const failed: CandidateEntry = { error: "HTTP 500", signals: {}, pass: {} };

describe("selectUnit", () => {
  it.each([
    ["filter keeps passing responses", { mode: "filter" as const }, [true, false, true], [true, false, true]],
    [
      "filter with a threshold reads the value",
      { mode: "filter" as const, threshold: 0.7 },
      [0.9, 0.6, 0.7],
      [true, false, true],
    ],
    ["none keeps every response", { mode: "none" as const }, [true, false], [true, true]],
    ["reference keeps no response", { mode: "reference" as const }, [true, false], [false, false]],
  ])("%s", (_name, selection, values, accepted) => {
    expect(
      selectUnit(
        selection,
        ["s"],
        values.map((v) => cand(v)),
      ).accepted,
    ).toEqual(accepted);
  });

  it("never selects a failed generation", () => {
    for (const mode of ["filter", "none", "pairs", "reward"] as const)
      expect(selectUnit({ mode }, ["s"], [failed, cand(true), cand(false)]).accepted[0]).toBe(false);
  });

  it("reward: GRPO advantages (r - mean) / std over the prompt's successful candidates", () => {
    const s = selectUnit(
      { mode: "reward" },
      ["s"],
      [cand(true), cand(false), cand(false), cand(false), failed],
    );
    // rewards 1,0,0,0: mean 1/4, population std sqrt(3)/4
    expect(s.advantages?.[0]).toBeCloseTo(3 / Math.sqrt(3), 12);
    expect(s.advantages?.[1]).toBeCloseTo(-1 / Math.sqrt(3), 12);
    expect(s.advantages?.[4]).toBeNull();
    expect(s.accepted).toEqual([true, false, false, false, false]);
    expect(selectUnit({ mode: "reward" }, ["s"], [cand(true), cand(true)]).advantages).toEqual([0, 0]);
  });

  it("reward advantages sum to zero and have unit variance when rewards vary (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 2, maxLength: 16 }), (values) => {
        const a = selectUnit(
          { mode: "reward" },
          ["s"],
          values.map((v) => cand(v)),
        ).advantages as number[];
        const varies = new Set(values).size > 1;
        const sum = a.reduce((x, y) => x + y, 0);
        expect(Math.abs(sum)).toBeLessThan(1e-9);
        const variance = a.reduce((x, y) => x + y * y, 0) / a.length;
        expect(variance).toBeCloseTo(varies ? 1 : 0, 9);
      }),
      { seed: 7 },
    );
  });

  it("pairs: min(#pass, #fail) chosen/rejected pairs, each a passing and a failing candidate", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 16 }), (values) => {
        const s = selectUnit(
          { mode: "pairs" },
          ["s"],
          values.map((v) => cand(v)),
        );
        const good = values.filter(Boolean).length;
        expect(s.pairs).toHaveLength(Math.min(good, values.length - good));
        for (const [c, r] of s.pairs ?? []) {
          expect(values[c]).toBe(true);
          expect(values[r]).toBe(false);
        }
        expect(s.accepted.filter(Boolean).length).toBe(s.pairs?.length);
      }),
      { seed: 7 },
    );
  });
});
