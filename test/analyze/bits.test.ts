import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countsEntropy, rangeEntropy } from "../../src/analyze/bits.js";
import { entropyFromCounts } from "../../src/info/index.js";

const count = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 100_000 }),
  fc.double({ min: 0, max: 50, noNaN: true }),
);

describe("rangeEntropy", () => {
  it("is exactly entropyFromCounts of the range (0 below 2 samples), in bits and nats", () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 0, maxLength: 12 }), fc.nat(), fc.nat(), (values, a, b) => {
        const counts = Float64Array.from(values);
        const from = values.length === 0 ? 0 : a % (values.length + 1);
        const to = from + (values.length === 0 ? 0 : b % (values.length - from + 1));
        const slice = values.slice(from, to);
        const total = slice.reduce((s, v) => s + v, 0);
        for (const unit of ["bits", "nats"] as const) {
          const expected = total < 2 ? 0 : entropyFromCounts(slice, { unit });
          expect(rangeEntropy(counts, from, to, unit)).toBe(expected);
          expect(rangeEntropy(Uint32Array.from(values.map(Math.floor)), from, to, unit)).toBe(
            slice.map(Math.floor).reduce((s, v) => s + v, 0) < 2
              ? 0
              : entropyFromCounts(slice.map(Math.floor), { unit }),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [[1, 1], 1],
    [[2, 2, 2, 2], 2],
    [[5000, 5000], 1],
    [[3, 0, 1], 0.8112781244591328],
  ])("gives the closed form for %j", (counts, bits) => {
    expect(rangeEntropy(counts, 0, counts.length, "bits")).toBeCloseTo(bits, 14);
    expect(countsEntropy(counts, 2, "nats")).toBeCloseTo(bits * Math.LN2, 14);
  });

  it("rejects what entropyFromCounts rejects", () => {
    expect(() => rangeEntropy([1, -1, 3], 0, 3, "bits")).toThrow(/non-negative/);
    expect(() => rangeEntropy([1, Number.NaN], 0, 2, "bits")).toThrow(/non-negative/);
    expect(() => rangeEntropy([2, Number.POSITIVE_INFINITY], 0, 2, "bits")).toThrow(/finite/);
  });
});
