import { describe, expect, it } from "vitest";
import { digamma, lgamma, trigamma } from "../../src/info/index.js";

const EULER = 0.5772156649015329;

describe("special functions against known values (Abramowitz & Stegun, DLMF 5.4, 5.15)", () => {
  it.each([
    [1, -EULER],
    [0.5, -EULER - 2 * Math.LN2],
    [2, 1 - EULER],
    [3, 1.5 - EULER],
    [0.25, -EULER - Math.PI / 2 - 3 * Math.LN2],
    [100, 4.600161852738087], // DLMF 5.11.2 asymptotic, checked with scipy.special.digamma
  ])("digamma(%d)", (x, expected) => {
    expect(digamma(x)).toBeCloseTo(expected, 13);
  });

  it.each([
    [1, Math.PI ** 2 / 6],
    [0.5, Math.PI ** 2 / 2],
    [2, Math.PI ** 2 / 6 - 1],
    [1.5, Math.PI ** 2 / 2 - 4],
  ])("trigamma(%d)", (x, expected) => {
    expect(trigamma(x)).toBeCloseTo(expected, 13);
  });

  it.each([
    [1, 0],
    [2, 0],
    [0.5, 0.5 * Math.log(Math.PI)],
    [10, Math.log(362880)],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [171, 706.5730622457874], // ln(170!)
  ])("lgamma(%d)", (x, expected) => {
    expect(lgamma(x)).toBeCloseTo(expected, 11);
  });

  it("satisfies the recurrences psi(x+1) = psi(x) + 1/x and lnG(x+1) = lnG(x) + ln x", () => {
    for (const x of [0.01, 0.3, 1.7, 9.99, 19.5, 42.25]) {
      expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 10);
      expect(lgamma(x + 1) - lgamma(x)).toBeCloseTo(Math.log(x), 12);
      expect(trigamma(x) - trigamma(x + 1)).toBeCloseTo(1 / (x * x), 8);
    }
  });
});
