import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanCI, tQuantile95 } from "../../src/lab/stats.js";

describe("meanCI", () => {
  it.each([
    [1, 12.706],
    [4, 2.776],
    [9, 2.262],
    [30, 2.042],
  ])("uses the Student-t quantile for %i degrees of freedom", (df, t) => {
    expect(tQuantile95(df)).toBe(t);
  });

  it("large df approaches the normal quantile", () => {
    expect(tQuantile95(60)).toBeCloseTo(2.0, 2);
    expect(tQuantile95(1000)).toBeCloseTo(1.962, 3);
  });

  it("gives the textbook interval for 1, 2, 3", () => {
    const ci = meanCI([1, 2, 3]);
    expect(ci.mean).toBe(2);
    expect(ci.hi - ci.mean).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(ci.mean - ci.lo).toBeCloseTo(4.303 / Math.sqrt(3), 10);
  });

  it("contains the mean, and is a point for one value or constant values", () => {
    expect(meanCI([5])).toEqual({ mean: 5, lo: 5, hi: 5, n: 1 });
    expect(meanCI([2, 2, 2])).toMatchObject({ lo: 2, hi: 2 });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 40 }),
        (xs) => {
          const ci = meanCI(xs);
          expect(ci.lo).toBeLessThanOrEqual(ci.mean + 1e-9);
          expect(ci.hi).toBeGreaterThanOrEqual(ci.mean - 1e-9);
        },
      ),
    );
  });
});
