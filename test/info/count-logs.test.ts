import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logCount, xlnx } from "../../src/info/index.js";

describe("logCount and xlnx", () => {
  it("equal Math.log and x * Math.log(x) bit for bit on the table's integers and past it", () => {
    for (let c = 1; c < 5000; c++) {
      expect(Object.is(logCount(c), Math.log(c))).toBe(true);
      expect(Object.is(xlnx(c), c * Math.log(c))).toBe(true);
    }
  });

  it("take x ln x = 0 at 0 and for negatives, ln 0 = -Infinity, ln of a negative = NaN", () => {
    expect(xlnx(0)).toBe(0);
    expect(xlnx(-3)).toBe(0);
    expect(xlnx(-0.5)).toBe(0);
    expect(logCount(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(logCount(-2)).toBeNaN();
  });

  it("equal the Math.log forms on any positive number (fractions, large counts)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e12, noNaN: true }), (x) => {
        expect(Object.is(logCount(x), Math.log(x))).toBe(true);
        expect(Object.is(xlnx(x), x * Math.log(x))).toBe(true);
      }),
    );
  });

  it.each([
    [1, 0],
    [2, 2 * Math.LN2],
    [4095, 4095 * Math.log(4095)],
    [4096, 4096 * 12 * Math.LN2],
  ])("xlnx(%d) = %d", (x, expected) => {
    expect(xlnx(x)).toBeCloseTo(expected, 9);
  });
});
