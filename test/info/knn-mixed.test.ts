import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { mixedMutualInformation } from "../../src/info/knn-mixed.js";
import { createRng } from "../../src/info/rng.js";

/** Gao et al. (2017), experiment I: X uniform on {0..m-1}, Y ~ U[X, X + 2]. */
function gaoExample(m: number, n: number, seed: number): [Float64Array, Float64Array] {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.int(m);
    y[i] = x[i] + 2 * rng.next();
  }
  return [x, y];
}

describe("mixedMutualInformation (Gao, Kannan, Oh, Viswanath 2017)", () => {
  it.each([2, 4, 5])("X uniform on {0..%i-1}, Y ~ U[X, X+2]: log2 m - (m - 1)/m bits", (m) => {
    const truth = Math.log2(m) - (m - 1) / m;
    const [x, y] = gaoExample(m, 10_000, 40 + m);
    expect(Math.abs(mixedMutualInformation([x], [y]) - truth)).toBeLessThan(0.04);
  });

  it.each([
    [2, 1],
    [8, 3],
  ])("discrete X = Y uniform on %i values: %i bits (ties used exactly)", (m, bits) => {
    const rng = createRng(m);
    const x = Float64Array.from({ length: 10_000 }, () => rng.int(m));
    expect(Math.abs(mixedMutualInformation([x], [x]) - bits)).toBeLessThan(0.005);
  });

  it("discrete noisy channel: Y = X with probability 3/4, else another of 4 values: 2 - H(3/4, 1/12 x 3) bits", () => {
    const rng = createRng(3);
    const n = 20_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.int(4);
      y[i] = rng.next() < 0.75 ? x[i] : (x[i] + 1 + rng.int(3)) % 4;
    }
    const truth = 2 + 0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25 / 3);
    expect(Math.abs(mixedMutualInformation([x], [y]) - truth)).toBeLessThan(0.03);
  });

  /** With probability 1/2 (X, Y) ~ N(0, [[1, .8], [.8, 1]]), else X = Y uniform on {-atom, atom}. */
  function halfAndHalf(n: number, atom: number, seed: number): [Float64Array, Float64Array] {
    const rng = createRng(seed);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (rng.next() < 0.5) {
        x[i] = rng.normal();
        y[i] = 0.8 * x[i] + 0.6 * rng.normal();
      } else x[i] = y[i] = rng.next() < 0.5 ? -atom : atom;
    }
    return [x, y];
  }
  // The component C is a function of X and of Y, so I(X;Y) = H(C) + I(X;Y|C) = 1 + (0.737 + 1) / 2.
  const halfTruth = 1 + (-0.5 * Math.log2(1 - 0.64) + 1) / 2;

  it("half continuous, half discrete: H(C) + (I_gauss + I_discrete) / 2 bits", () => {
    const [x, y] = halfAndHalf(20_000, 8, 12);
    expect(Math.abs(mixedMutualInformation([x], [y]) - halfTruth)).toBeLessThan(0.02);
  });

  it("atoms inside the continuous support: the bias shrinks as N grows", () => {
    // Continuous points within rho of an atom count all of its copies as x-neighbours; the
    // fraction of such points, and so the bias, falls like 1/sqrt(N) (-0.14 bit at N = 2,000).
    const error = (n: number) => {
      const [x, y] = halfAndHalf(n, 2, 12);
      return Math.abs(mixedMutualInformation([x], [y]) - halfTruth);
    };
    const small = error(2000);
    const large = error(20_000);
    expect(large).toBeLessThan(small);
    expect(large).toBeLessThan(0.1);
  });

  it("is about 0 for discrete X independent of continuous Y, and for continuous Gaussians gives the closed form", () => {
    const rng = createRng(6);
    const n = 10_000;
    const x = Float64Array.from({ length: n }, () => rng.int(3));
    const y = Float64Array.from({ length: n }, () => rng.normal());
    expect(Math.abs(mixedMutualInformation([x], [y]))).toBeLessThan(0.02);
    const u = Float64Array.from({ length: n }, () => rng.normal());
    const v = u.map((a) => 0.6 * a + 0.8 * rng.normal());
    expect(Math.abs(mixedMutualInformation([u], [v]) - -0.5 * Math.log2(1 - 0.36))).toBeLessThan(0.05);
  });

  it("is symmetric and invariant to relabelling discrete values by a monotone map with transform 'rank' (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 300 }),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        (n, m, seed) => {
          const [x, y] = gaoExample(m, n, seed);
          expect(mixedMutualInformation([x], [y])).toBe(mixedMutualInformation([y], [x]));
          const relabelled = x.map((v) => 10 * v * v + 3);
          const options = { transform: "rank" as const };
          expect(mixedMutualInformation([relabelled], [y], options)).toBe(
            mixedMutualInformation([x], [y], options),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reports nats on request", () => {
    const [x, y] = gaoExample(3, 2000, 1);
    expect(mixedMutualInformation([x], [y], { unit: "nats" })).toBeCloseTo(
      mixedMutualInformation([x], [y]) * Math.LN2,
      12,
    );
  });

  it.each([
    [
      "k >= N",
      () => mixedMutualInformation([[0, 1, 0]], [[1, 1, 0]], { k: 5 }),
      "estimator",
      /k = 5 needs more samples.*N = 3/,
    ],
    [
      "NaN",
      () => mixedMutualInformation([[0, 1, Number.NaN]], [[1, 1, 0]], { k: 1 }),
      "input",
      /x column 1 row 3 is NaN/,
    ],
    [
      "X and Y of different lengths",
      () => mixedMutualInformation([[0, 1, 1]], [[1, 1]]),
      "input",
      /y column 1 has 2 rows/,
    ],
    [
      "a non-integer k",
      () => mixedMutualInformation([[0, 1, 1, 0]], [[1, 1, 0, 0]], { k: 1.5 }),
      "estimator",
      /k must be a positive integer/,
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
