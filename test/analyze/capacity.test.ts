import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryAsymmetricCapacity } from "../../src/analyze/index.js";
import { binaryEntropy } from "../../src/info/index.js";

/** max over the input prior of I(X;S), by golden-section search (I is concave in the prior). */
function bruteForce(a: number, b: number): number {
  const info = (pi: number) =>
    binaryEntropy(a + pi * (1 - a - b)) - (1 - pi) * binaryEntropy(a) - pi * binaryEntropy(b);
  let lo = 0;
  let hi = 1;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const m1 = hi - g * (hi - lo);
    const m2 = lo + g * (hi - lo);
    if (info(m1) < info(m2)) lo = m1;
    else hi = m2;
  }
  return info((lo + hi) / 2);
}

describe("capacity of the binary asymmetric channel", () => {
  it.each([0, 0.01, 0.1, 0.25, 0.4])("is 1 - h(e) for the binary symmetric channel, e = %s", (e) => {
    expect(binaryAsymmetricCapacity(e, e)).toBeCloseTo(1 - binaryEntropy(e), 10);
  });

  it.each([0.1, 0.3, 0.5, 0.9])("is log2(1 + (1-p) p^(p/(1-p))) for the Z-channel, p = %s", (p) => {
    expect(binaryAsymmetricCapacity(0, p)).toBeCloseTo(Math.log2(1 + (1 - p) * p ** (p / (1 - p))), 10);
  });

  it("is 0 for a useless channel (a + b = 1) and 1 for a perfect one", () => {
    expect(binaryAsymmetricCapacity(0.3, 0.7)).toBe(0);
    expect(binaryAsymmetricCapacity(0, 0)).toBeCloseTo(1, 12);
    expect(binaryAsymmetricCapacity(1, 1)).toBeCloseTo(1, 12);
  });

  it("matches numerical maximisation over the input prior", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          if (Math.abs(1 - a - b) < 1e-3) return;
          expect(binaryAsymmetricCapacity(a, b)).toBeCloseTo(bruteForce(a, b), 6);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it("converts to nats", () => {
    expect(binaryAsymmetricCapacity(0.1, 0.2, "nats")).toBeCloseTo(
      binaryAsymmetricCapacity(0.1, 0.2) * Math.LN2,
      12,
    );
  });
});
