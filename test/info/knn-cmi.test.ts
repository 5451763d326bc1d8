import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { frenzelPompeCMI } from "../../src/info/knn-cmi.js";
import { ksgMutualInformation } from "../../src/info/knn-ksg.js";
import { createRng } from "../../src/info/rng.js";
import { gaussianCmiBits, gaussianColumns } from "./knn-samples.js";

describe("frenzelPompeCMI", () => {
  // N = 10,000, k = 3. Closed forms: 0.5 log2(det Sxz det Syz / (det Sz det Sxyz)), checked with numpy.
  it.each([
    {
      name: "X, Y, Z scalars, partial correlation 0.63",
      cov: [
        [1, 0.7, 0.5],
        [0.7, 1, 0.4],
        [0.5, 0.4, 1],
      ],
      x: [0],
      y: [1],
      z: [2],
      numpy: 0.3646762050281655,
    },
    {
      name: "X scalar, Y 2-D, Z 2-D",
      cov: [
        [1, 0.5, 0.3, 0.4, 0.2],
        [0.5, 1, 0.2, 0.3, 0.5],
        [0.3, 0.2, 1, 0.3, 0.1],
        [0.4, 0.3, 0.3, 1, 0.2],
        [0.2, 0.5, 0.1, 0.2, 1],
      ],
      x: [0],
      y: [1, 2],
      z: [3, 4],
      numpy: 0.16516446365116297,
    },
  ])("Gaussian closed form: $name", ({ cov, x, y, z, numpy }) => {
    const truth = gaussianCmiBits(cov, x, y, z);
    expect(truth).toBeCloseTo(numpy, 12);
    const columns = gaussianColumns(cov, 10_000, 31);
    const pick = (indices: number[]) => indices.map((i) => columns[i]);
    expect(Math.abs(frenzelPompeCMI(pick(x), pick(y), pick(z)) - truth)).toBeLessThan(0.05);
  });

  it("is about 0 when X and Y are independent given Z, although I(X;Y) is large", () => {
    const rng = createRng(8);
    const n = 10_000;
    const z = Float64Array.from({ length: n }, () => rng.normal());
    const x = z.map((v) => v + 0.5 * rng.normal());
    const y = z.map((v) => v + 0.5 * rng.normal());
    // corr(X, Y) = 1 / 1.25 = 0.8, so I(X;Y) = -0.5 log2(1 - 0.64) = 0.737 bits.
    expect(Math.abs(ksgMutualInformation([x], [y]) - -0.5 * Math.log2(0.36))).toBeLessThan(0.05);
    expect(Math.abs(frenzelPompeCMI([x], [y], [z]))).toBeLessThan(0.03);
  });

  it("equals I(X;Y) when Z is independent of (X, Y)", () => {
    const [x, y, z] = gaussianColumns(
      [
        [1, 0.6, 0],
        [0.6, 1, 0],
        [0, 0, 1],
      ],
      10_000,
      4,
    );
    const truth = -0.5 * Math.log2(1 - 0.36);
    expect(Math.abs(frenzelPompeCMI([x], [y], [z]) - truth)).toBeLessThan(0.05);
    expect(Math.abs(frenzelPompeCMI([x], [y], [z]) - ksgMutualInformation([x], [y]))).toBeLessThan(0.05);
  });

  it("is symmetric in X and Y exactly (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 300 }), fc.integer({ min: 0, max: 10_000 }), (n, seed) => {
        const rng = createRng(seed);
        const z = Float64Array.from({ length: n }, () => rng.normal());
        const x = z.map((v) => v + rng.normal());
        const y = z.map((v) => v * v + rng.normal());
        expect(frenzelPompeCMI([x], [y], [z], { jitter: 0 })).toBe(
          frenzelPompeCMI([y], [x], [z], { jitter: 0 }),
        );
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    [
      "k >= N",
      () => frenzelPompeCMI([[1, 2]], [[2, 1]], [[0, 1]], { k: 2 }),
      "estimator",
      /k = 2 needs more samples/,
    ],
    [
      "Z of another length",
      () => frenzelPompeCMI([[1, 2, 3]], [[2, 1, 3]], [[0, 1]]),
      "input",
      /z column 1 has 2 rows but 3/,
    ],
    [
      "NaN in Z",
      () => frenzelPompeCMI([[1, 2, 3, 4, 5]], [[2, 1, 3, 4, 5]], [[0, 1, 2, Number.NaN, 4]]),
      "input",
      /z column 1 row 4 is NaN/,
    ],
    [
      "an empty Z",
      () => frenzelPompeCMI([[1, 2, 3]], [[2, 1, 3]], []),
      "input",
      /z needs at least one column/,
    ],
  ])("rejects %s", (_name, run, code, message) => {
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(OpenloopError);
      expect((error as OpenloopError).code).toBe(code);
    }
  });
});
