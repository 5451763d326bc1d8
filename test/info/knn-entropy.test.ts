import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { klEntropy } from "../../src/info/knn-entropy.js";
import { createRng } from "../../src/info/rng.js";
import { gaussianColumns } from "./knn-samples.js";

const NORMAL_BITS = 0.5 * Math.log2(2 * Math.PI * Math.E); // 2.0471 bits per dimension

function identity(d: number): number[][] {
  return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? 1 : 0)));
}

function uniformColumns(d: number, n: number, width: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: d }, () => Float64Array.from({ length: n }, () => width * rng.next()));
}

describe("klEntropy (Kozachenko-Leonenko)", () => {
  // N = 10,000, k = 3: the standard error is about 0.01 bit per dimension; the bias grows with d.
  it.each([
    [1, "euclidean", 0.03],
    [1, "max", 0.03],
    [2, "euclidean", 0.04],
    [2, "max", 0.04],
    [3, "euclidean", 0.05],
    [5, "euclidean", 0.12],
    [5, "max", 0.12],
  ] as const)("standard normal in %i-D (%s norm): d * 0.5 log2(2 pi e) bits", (d, norm, tolerance) => {
    const h = klEntropy(gaussianColumns(identity(d), 10_000, 11 + d), { norm });
    expect(Math.abs(h - d * NORMAL_BITS)).toBeLessThan(tolerance);
  });

  it.each([
    [1, 1, 0],
    [1, 8, 3],
    [2, 4, 4],
  ])("uniform on a %i-D cube of side %d: %d bits", (d, width, bits) => {
    // Boundary effects bias KL upwards in higher dimensions (+0.11 bit in 3-D at this N).
    const h = klEntropy(uniformColumns(d, 10_000, width, 5), { norm: "max" });
    expect(Math.abs(h - bits)).toBeLessThan(0.02);
  });

  it("reports nats on request and scales by d log c when the data are scaled by c", () => {
    const [x, y] = gaussianColumns(identity(2), 3000, 3);
    const bits = klEntropy([x, y]);
    expect(klEntropy([x, y], { unit: "nats" })).toBeCloseTo(bits * Math.LN2, 12);
    const scaled = [x.map((v) => 4 * v), y.map((v) => 4 * v)];
    expect(klEntropy(scaled)).toBeCloseTo(bits + 2 * Math.log2(4), 9);
  });

  it("is deterministic for a seed and breaks ties with the jitter", () => {
    const x = Float64Array.from({ length: 500 }, (_, i) => i % 50);
    expect(klEntropy([x], { seed: 1 })).toBe(klEntropy([x], { seed: 1 }));
    // 10 copies of each value: ties broken at 1e-10 sd make the density look like 50 spikes.
    expect(klEntropy([x])).toBeLessThan(-10);
    expect(() => klEntropy([x], { jitter: 0 })).toThrow(/500 of 500 points have their k-th .* distance 0/);
  });

  it.each([
    ["k >= N", () => klEntropy([[1, 2, 3]], { k: 3 }), "estimator", /k = 3 needs more samples.*N = 3/],
    ["NaN", () => klEntropy([[1, Number.NaN, 3]]), "input", /x column 1 row 2 is NaN/],
    [
      "Infinity",
      () =>
        klEntropy([
          [1, 2],
          [3, Number.POSITIVE_INFINITY],
        ]),
      "input",
      /x column 2 row 2 is Infinity/,
    ],
    [
      "columns of different lengths",
      () =>
        klEntropy([
          [1, 2, 3],
          [1, 2],
        ]),
      "input",
      /column 2 has 2 rows but 3/,
    ],
    ["no columns", () => klEntropy([]), "input", /at least one column/],
    [
      "an unknown norm",
      () => klEntropy([[1, 2, 3, 4, 5]], { norm: "l1" as "max" }),
      "estimator",
      /unknown norm 'l1'/,
    ],
    ["a negative jitter", () => klEntropy([[1, 2, 3, 4, 5]], { jitter: -1 }), "estimator", /jitter/],
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
