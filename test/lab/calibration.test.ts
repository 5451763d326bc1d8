import { describe, expect, it } from "vitest";
import { createRng } from "../../src/info/rng.js";
import {
  calibrations,
  categorical,
  expectedHeterozygosity,
  expectedSupportReplace,
  gaussian,
  predictedRegressionError,
  regression,
  resolveParams,
  zipfProbabilities,
} from "../../src/lab/calibration/index.js";
import { medianInterval } from "../../src/lab/calibration/stats.js";

describe("calibration summaries", () => {
  it("medianInterval brackets the median of 1..101", () => {
    const values = Float64Array.from({ length: 101 }, (_, i) => 101 - i);
    const m = medianInterval(values);
    expect(m.median).toBe(51);
    expect(m.lo).toBeLessThan(51);
    expect(m.hi).toBeGreaterThan(51);
  });
});

describe("closed forms", () => {
  it("regression: replace grows linearly, accumulate sums 1/i^2", () => {
    const first = (1 * 10) / (100 - 10 - 1);
    expect(predictedRegressionError(10, 100, 1, 1, false)).toBeCloseTo(first, 14);
    expect(predictedRegressionError(10, 100, 1, 7, false)).toBeCloseTo(7 * first, 14);
    expect(predictedRegressionError(10, 100, 1, 2, true)).toBeCloseTo(first * 1.25, 14);
    expect(predictedRegressionError(10, 100, 1, 10_000, true)).toBeLessThan((first * Math.PI ** 2) / 6);
  });

  it("categorical: both modes lose H0/n in the first generation", () => {
    expect(expectedHeterozygosity(0.8, 50, 1, false)).toBeCloseTo(0.8 * (49 / 50), 14);
    expect(expectedHeterozygosity(0.8, 50, 1, true)).toBeCloseTo(0.8 * (49 / 50), 14);
    expect(expectedHeterozygosity(0.8, 50, 2, true)).toBeCloseTo(0.8 * (49 / 50) * (1 - 1 / 200), 14);
  });

  it("categorical: exact support after one generation is sum 1 - (1 - p)^n", () => {
    const p = zipfProbabilities(20, 1.2);
    const support = expectedSupportReplace(p, 15, 3);
    expect(support[0]).toBe(20);
    expect(support[1]).toBeCloseTo(
      p.reduce((s, pi) => s + 1 - (1 - pi) ** 15, 0),
      10,
    );
  });

  it("categorical: exact support matches forward propagation of the binomial chain", () => {
    const p = Float64Array.of(0.5, 0.3, 0.2);
    const n = 4;
    const binom = (q: number) =>
      Array.from({ length: n + 1 }, (_, k) => {
        const c = [1, 4, 6, 4, 1][k];
        return c * q ** k * (1 - q) ** (n - k);
      });
    const forward = (pi: number, g: number) => {
      let dist = binom(pi);
      for (let step = 1; step < g; step++) {
        const next = new Array(n + 1).fill(0);
        dist.forEach((mass, j) => {
          binom(j / n).forEach((t, k) => {
            next[k] += mass * t;
          });
        });
        dist = next;
      }
      return 1 - dist[0];
    };
    const exact = expectedSupportReplace(p, n, 5);
    for (let g = 1; g <= 5; g++) {
      expect(exact[g]).toBeCloseTo(forward(0.5, g) + forward(0.3, g) + forward(0.2, g), 12);
    }
  });

  it("zipf probabilities sum to one and decrease", () => {
    const p = zipfProbabilities(50, 1.1);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(p[0] / p[1]).toBeCloseTo(2 ** 1.1, 12);
  });
});

describe("calibration experiments agree with theory", () => {
  it.each([
    ["gaussian mle replace", gaussian, { fit: "mle", mode: "replace" }, 1000],
    ["gaussian unbiased replace", gaussian, { fit: "unbiased", mode: "replace" }, 1000],
    ["gaussian mle accumulate", gaussian, { fit: "mle", mode: "accumulate", generations: 100 }, 300],
    ["regression replace", regression, { mode: "replace" }, 200],
    ["regression accumulate", regression, { mode: "accumulate" }, 200],
    ["categorical replace", categorical, { mode: "replace" }, 200],
    ["categorical accumulate", categorical, { mode: "accumulate" }, 200],
  ] as const)("%s: every claim holds", (_name, experiment, params, seeds) => {
    const result = experiment.run({ ...params }, seeds, createRng(7));
    expect(result.claims.length).toBeGreaterThanOrEqual(2);
    for (const claim of result.claims) expect(claim, claim.claim).toMatchObject({ holds: true });
  });

  it("gaussian replace collapses while accumulate holds", () => {
    const replace = gaussian.run({ generations: 200 }, 300, createRng(3));
    const accumulate = gaussian.run({ generations: 200, mode: "accumulate" }, 300, createRng(3));
    const lastReplace = replace.series[200].variance_median;
    const lastAccumulate = accumulate.series[200].variance_median;
    expect(lastReplace).toBeLessThan(0.1);
    expect(lastAccumulate).toBeGreaterThan(0.5);
    expect(replace.series[0]).toMatchObject({ generation: 0, variance_mean: 1, variance_median: 1 });
  });

  it("categorical replace loses support and diversity generation after generation", () => {
    const result = categorical.run({ generations: 50 }, 100, createRng(11));
    const h = result.series.map((row) => row.heterozygosity_mean);
    const support = result.series.map((row) => row.support_mean);
    expect(h[50]).toBeLessThan(h[10]);
    expect(support[50]).toBeLessThan(support[10]);
    expect(support[0]).toBe(100);
  });

  it("is deterministic for a seed", () => {
    const a = JSON.stringify(regression.run({ generations: 5 }, 20, createRng(42)));
    const b = JSON.stringify(regression.run({ generations: 5 }, 20, createRng(42)));
    expect(a).toBe(b);
  });

  it("every calibration names its params with defaults", () => {
    expect(calibrations.map((c) => c.name)).toEqual(["gaussian", "regression", "categorical"]);
    expect(gaussian.params.map((p) => p.name)).toEqual(["sample_size", "generations", "fit", "mode"]);
    expect(regression.params.map((p) => p.name)).toEqual(["dim", "samples", "noise", "generations", "mode"]);
    expect(categorical.params.map((p) => p.name)).toEqual([
      "categories",
      "zipf",
      "sample_size",
      "generations",
      "mode",
    ]);
  });
});

describe("parameter checking", () => {
  it.each([
    [{ nope: 1 }, /unknown param 'nope' for experiment 'gaussian'/],
    [{ sample_size: 1 }, /param 'sample_size' of 'gaussian' must be between 2 and 1000000, got '1'/],
    [{ sample_size: "ten" }, /must be a number/],
    [{ generations: 2.5 }, /must be a whole number/],
    [{ fit: "median" }, /must be one of mle, unbiased/],
  ])("rejects %j", (given, message) => {
    expect(() => resolveParams("gaussian", gaussian.params, given)).toThrow(message);
  });

  it("names the valid params in the hint", () => {
    try {
      resolveParams("gaussian", gaussian.params, { nope: 1 });
      expect.unreachable();
    } catch (error) {
      expect((error as { hint: string }).hint).toContain("sample_size (int 2..1000000, default 100)");
      expect((error as { hint: string }).hint).toContain("fit (mle | unbiased, default mle)");
    }
  });

  it("regression refuses T <= d + 1", () => {
    expect(() => regression.run({ dim: 10, samples: 11 }, 2, createRng(1))).toThrow(
      /must exceed dim \+ 1 = 11/,
    );
  });
});
