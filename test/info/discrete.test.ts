import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binaryEntropy,
  clipInformation,
  conditionalEntropy,
  conditionalMutualInformation,
  createRng,
  DISCRETE_ESTIMATORS,
  entropyFromCounts,
  jointEntropy,
  mutualInformation,
} from "../../src/info/index.js";

/** All combinations of fair bits (x, y), each repeated `times`. */
function bits(times: number): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(4 * times);
  const y = new Int32Array(4 * times);
  for (let i = 0; i < 4 * times; i++) {
    x[i] = i & 1;
    y[i] = (i >> 1) & 1;
  }
  return { x, y };
}

const codes = (max: number, minLength = 1, maxLength = 120) =>
  fc.array(fc.integer({ min: 0, max }), { minLength, maxLength }).map((a) => Int32Array.from(a));

/** Three equal-length code columns. */
const triple = fc
  .integer({ min: 1, max: 120 })
  .chain((n) => fc.tuple(codes(3, n, n), codes(2, n, n), codes(3, n, n)));

describe("closed forms", () => {
  it("XOR: I(X;Y) = 0 but I(X;Y|Z) = 1 bit", () => {
    const { x, y: z } = bits(2500);
    const y = x.map((v, i) => v ^ z[i]);
    for (const estimator of ["plugin", "miller-madow", "grassberger"] as const) {
      const mi = mutualInformation([x], [y], { estimator });
      const cmi = conditionalMutualInformation([x], [y], [z], { estimator });
      if (estimator === "plugin") {
        expect(mi).toBeCloseTo(0, 14);
        expect(cmi).toBeCloseTo(1, 14);
      } else {
        expect(Math.abs(mi)).toBeLessThan(1e-3); // N = 10,000: the corrections are O(1/N)
        expect(Math.abs(cmi - 1)).toBeLessThan(1e-3);
      }
    }
    expect(conditionalMutualInformation([x], [y], [z], { unit: "nats" })).toBeCloseTo(Math.LN2, 14);
  });

  it("AND gate Z = X & Y with fair independent X, Y", () => {
    const { x, y } = bits(10);
    const z = x.map((v, i) => v & y[i]);
    expect(mutualInformation([x], [y])).toBeCloseTo(0, 14);
    expect(mutualInformation([x], [z])).toBeCloseTo(binaryEntropy(0.25) - 0.5, 14); // 0.3113
    expect(mutualInformation([x, y], [z])).toBeCloseTo(binaryEntropy(0.25), 14); // 0.8113
    // I(X;Y|Z) = H(X|Z) - H(X|Y,Z) = (3/4) h(1/3) - 1/2 = 0.1887
    expect(conditionalMutualInformation([x], [y], [z])).toBeCloseTo(0.75 * binaryEntropy(1 / 3) - 0.5, 14);
    expect(conditionalEntropy([z], [x, y])).toBeCloseTo(0, 14);
    expect(conditionalEntropy([x], [z])).toBeCloseTo(0.75 * binaryEntropy(1 / 3), 14);
  });

  it("joint entropy of independent uniform variables adds up", () => {
    const n = 6 * 4 * 10;
    const a = Int32Array.from({ length: n }, (_, i) => i % 6);
    const b = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 6) % 4);
    expect(jointEntropy([a, b])).toBeCloseTo(Math.log2(24), 12);
    expect(mutualInformation([a], [b])).toBeCloseTo(0, 12);
    expect(mutualInformation([a], [a])).toBeCloseTo(Math.log2(6), 12);
  });

  it("every term uses the chosen estimator: MI = H(X) + H(Y) - H(X,Y) with miller-madow", () => {
    const x = Int32Array.of(0, 0, 1, 1, 2, 2, 0, 1);
    const y = Int32Array.of(0, 1, 1, 1, 0, 0, 0, 1);
    const mm = { estimator: "miller-madow" as const };
    const expected = jointEntropy([x], mm) + jointEntropy([y], mm) - jointEntropy([x, y], mm);
    expect(mutualInformation([x], [y], mm)).toBeCloseTo(expected, 14);
  });
});

describe("large alphabets take the dense re-coding path with identical results", () => {
  it.each(DISCRETE_ESTIMATORS.filter((e) => e !== "nsb"))("%s", (estimator) => {
    const rng = createRng(5);
    const n = 2000;
    const x = Int32Array.from({ length: n }, () => rng.int(40));
    const y = x.map((v) => (v + rng.int(3)) % 40);
    const z = Int32Array.from({ length: n }, () => rng.int(50));
    // spread codes so the product of cardinalities exceeds the dense-table limit
    const wide = (c: Int32Array) => c.map((v) => v * 100_003);
    const small = conditionalMutualInformation([x], [y], [z], { estimator });
    const large = conditionalMutualInformation([wide(x)], [wide(y)], [wide(z)], { estimator });
    // same counts, different summation order: agreement to rounding
    expect(large).toBeCloseTo(small, 11);
    expect(mutualInformation([wide(x)], [wide(y)], { estimator })).toBeCloseTo(
      mutualInformation([x], [y], { estimator }),
      11,
    );
  });
});

describe("alphabet option", () => {
  it("product: K of a joint variable is the product of (max code + 1) over its columns", () => {
    const a = Int32Array.of(0, 0, 1, 1, 0);
    const b = Int32Array.of(0, 2, 0, 2, 0);
    const counts = [2, 1, 1, 1]; // (0,0) x2, (0,2), (1,0), (1,2)
    expect(jointEntropy([a, b], { estimator: "nsb", alphabet: "product" })).toBeCloseTo(
      entropyFromCounts(counts, { estimator: "nsb", alphabetSize: 6 }),
      12,
    );
    expect(jointEntropy([a, b], { estimator: "james-stein" })).toBeCloseTo(
      entropyFromCounts(counts, { estimator: "james-stein" }),
      12,
    );
  });
});

describe("properties (fast-check)", () => {
  it("MI is symmetric", () => {
    fc.assert(
      fc.property(triple, ([x, y]) => {
        for (const estimator of ["plugin", "miller-madow", "grassberger", "jackknife"] as const) {
          expect(mutualInformation([x], [y], { estimator })).toBeCloseTo(
            mutualInformation([y], [x], { estimator }),
            10,
          );
        }
      }),
    );
  });

  it("MI and CMI are invariant to relabelling categories", () => {
    fc.assert(
      fc.property(triple, fc.constantFrom([3, 1, 0, 2], [1, 0, 3, 2], [2, 3, 1, 0]), ([x, y, z], perm) => {
        const rx = x.map((v) => perm[v]);
        const rz = z.map((v) => perm[v]);
        expect(mutualInformation([rx], [y])).toBeCloseTo(mutualInformation([x], [y]), 10);
        expect(conditionalMutualInformation([rx], [y], [rz], { estimator: "chao-shen" })).toBeCloseTo(
          conditionalMutualInformation([x], [y], [z], { estimator: "chao-shen" }),
          10,
        );
      }),
    );
  });

  it("chain rule for plug-in: I(X;Y,Z) = I(X;Z) + I(X;Y|Z)", () => {
    fc.assert(
      fc.property(triple, ([x, y, z]) => {
        const lhs = mutualInformation([x], [y, z]);
        const rhs = mutualInformation([x], [z]) + conditionalMutualInformation([x], [y], [z]);
        expect(lhs).toBeCloseTo(rhs, 10);
      }),
    );
  });

  it("CMI = MI exactly for plug-in when Z is constant; an empty Z gives MI", () => {
    fc.assert(
      fc.property(triple, ([x, y]) => {
        const constant = new Int32Array(x.length);
        const mi = mutualInformation([x], [y]);
        expect(conditionalMutualInformation([x], [y], [constant])).toBeCloseTo(mi, 12);
        expect(conditionalMutualInformation([x], [y], [])).toBe(mi);
      }),
    );
  });

  it("plug-in MI is non-negative and at most min(H(X), H(Y))", () => {
    fc.assert(
      fc.property(triple, ([x, y, z]) => {
        const mi = mutualInformation([x], [y, z]);
        expect(mi).toBeGreaterThanOrEqual(-1e-12);
        expect(mi).toBeLessThanOrEqual(Math.min(jointEntropy([x]), jointEntropy([y, z])) + 1e-12);
        expect(conditionalMutualInformation([x], [y], [z])).toBeGreaterThanOrEqual(-1e-12);
      }),
    );
  });

  it("plug-in joint entropy <= log2 of the product of alphabet sizes", () => {
    fc.assert(
      fc.property(triple, ([x, y]) => {
        const kx = Math.max(...x) + 1;
        const ky = Math.max(...y) + 1;
        expect(jointEntropy([x, y])).toBeLessThanOrEqual(Math.log2(kx * ky) + 1e-12);
      }),
    );
  });

  it("CMI ~ MI when Z is independent of (X, Y)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = createRng(seed);
        const n = 20_000;
        const x = Int32Array.from({ length: n }, () => rng.int(4));
        const y = x.map((v) => (rng.next() < 0.7 ? v : rng.int(4)));
        const z = Int32Array.from({ length: n }, () => rng.int(2));
        const mi = mutualInformation([x], [y], { estimator: "miller-madow" });
        expect(conditionalMutualInformation([x], [y], [z], { estimator: "miller-madow" })).toBeCloseTo(mi, 2);
      }),
      { numRuns: 5 },
    );
  });
});

describe("negative estimates and bad input", () => {
  it("bias-corrected MI can be negative; clipInformation reports raw and clipped", () => {
    const x = Int32Array.of(0, 1, 0, 1);
    const y = Int32Array.of(0, 0, 1, 1);
    const raw = mutualInformation([x], [y], { estimator: "miller-madow" });
    expect(raw).toBeLessThan(0); // plug-in 0, correction (1 + 1 - 3) / (2N)
    expect(raw).toBeCloseTo(-1 / 8 / Math.LN2, 14);
    expect(clipInformation(raw)).toEqual({ raw, clipped: 0 });
    expect(clipInformation(0.5)).toEqual({ raw: 0.5, clipped: 0.5 });
  });

  it("rejects empty data, unequal lengths and missing columns", () => {
    expect(() => mutualInformation([new Int32Array(0)], [new Int32Array(0)])).toThrow(/empty/);
    expect(() => mutualInformation([Int32Array.of(0, 1)], [Int32Array.of(0)])).toThrow(/differ in length/);
    expect(() => mutualInformation([], [Int32Array.of(0)])).toThrow(/at least one column/);
    expect(() => jointEntropy([])).toThrow();
  });
});
