import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanCI, NORMAL99, tQuantile95, Z99 } from "../../src/lab/stats.js";

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

  it("with NORMAL99 uses z = 2.5758 whatever the count, and one value gives no interval", () => {
    const ci = meanCI(Float64Array.from([1, 2, 3, 4]), NORMAL99);
    const se = Math.sqrt(5 / 3 / 4);
    expect(ci.mean).toBe(2.5);
    expect(ci.hi - ci.mean).toBeCloseTo(Z99 * se, 12);
    expect(ci.mean - ci.lo).toBeCloseTo(Z99 * se, 12);
    expect(Z99).toBeCloseTo(2.5758293, 7);
    const one = meanCI([5], NORMAL99);
    expect(one.mean).toBe(5);
    expect(one.lo).toBeNaN();
    expect(one.hi).toBeNaN();
  });
});
