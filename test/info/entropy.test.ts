import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryEntropy, DISCRETE_ESTIMATORS, digamma, entropyFromCounts } from "../../src/info/index.js";

const nats = (counts: number[], estimator: (typeof DISCRETE_ESTIMATORS)[number], alphabetSize?: number) =>
  entropyFromCounts(counts, { estimator, unit: "nats", alphabetSize });

describe("plug-in entropy: closed forms", () => {
  it.each([2, 3, 8, 1000])("uniform over %d values is log2 K bits", (k) => {
    expect(entropyFromCounts(new Array(k).fill(5))).toBeCloseTo(Math.log2(k), 12);
  });

  it("matches known distributions", () => {
    expect(entropyFromCounts([2, 1, 1])).toBeCloseTo(1.5, 14); // (1/2, 1/4, 1/4)
    expect(entropyFromCounts([7])).toBe(0);
    expect(entropyFromCounts([1, 3])).toBeCloseTo(binaryEntropy(0.25), 14);
    expect(entropyFromCounts([1, 0, 3, 0])).toBeCloseTo(binaryEntropy(0.25), 14);
    expect(entropyFromCounts([1, 1], { unit: "nats" })).toBeCloseTo(Math.LN2, 14);
  });

  it("binary entropy", () => {
    expect(binaryEntropy(0.5)).toBe(1);
    expect(binaryEntropy(0)).toBe(0);
    expect(binaryEntropy(1)).toBe(0);
    expect(binaryEntropy(0.11)).toBeCloseTo(0.4999157, 6); // the classic H(0.11) ~ 1/2 bit
    expect(binaryEntropy(0.25, "nats")).toBeCloseTo(-0.25 * Math.log(0.25) - 0.75 * Math.log(0.75), 14);
    expect(() => binaryEntropy(1.5)).toThrow();
  });

  it("is bounded by log2 of the number of non-empty bins (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 30 }), (counts) => {
        const nonEmpty = counts.filter((c) => c > 0).length;
        fc.pre(nonEmpty > 0);
        const h = entropyFromCounts(counts);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(Math.log2(nonEmpty) + 1e-12);
      }),
    );
  });
});

describe("bias-corrected estimators: small-count regression values", () => {
  it("miller-madow = plug-in + (m - 1)/(2N) (Miller 1955; ndd MillerMadow uses the same m = non-empty bins)", () => {
    const plugin = Math.log(3) - (2 * Math.log(2)) / 3; // counts (2, 1)
    expect(nats([2, 1], "miller-madow")).toBeCloseTo(plugin + 1 / 6, 14);
    expect(nats([2, 0, 1], "miller-madow")).toBeCloseTo(plugin + 1 / 6, 14);
    expect(nats([5], "miller-madow")).toBe(0);
  });

  it("jackknife equals an explicit leave-one-out over samples (Zahl 1977, independent computation)", () => {
    const plug = (c: number[]) => {
      const n = c.reduce((a, b) => a + b, 0);
      return -c.filter((x) => x > 0).reduce((a, x) => a + (x / n) * Math.log(x / n), 0);
    };
    for (const counts of [
      [2, 1],
      [4, 2, 1, 1],
      [1, 1, 1],
      [10, 3, 3, 1, 0, 2],
    ]) {
      const n = counts.reduce((a, b) => a + b, 0);
      let sum = 0;
      counts.forEach((c, i) => {
        for (let j = 0; j < c; j++) {
          const left = counts.slice();
          left[i]--;
          sum += plug(left);
        }
      });
      const expected = n * plug(counts) - ((n - 1) / n) * sum;
      expect(nats(counts, "jackknife")).toBeCloseTo(expected, 12);
    }
    // counts (1, 1): every leave-one-out entropy is 0, so H_J = 2 ln 2
    expect(nats([1, 1], "jackknife")).toBeCloseTo(2 * Math.LN2, 14);
  });

  it("chao-shen: coverage-adjusted Horvitz-Thompson (Chao & Shen 2003), worked by hand", () => {
    // counts (1, 1, 2): N = 4, f1 = 2, C = 1/2, p = (1/8, 1/8, 1/4)
    const term = (p: number) => (-p * Math.log(p)) / (1 - (1 - p) ** 4);
    expect(nats([1, 1, 2], "chao-shen")).toBeCloseTo(2 * term(1 / 8) + term(1 / 4), 14);
    // all singletons: f1 = N is replaced by N - 1 (R entropy::entropy.ChaoShen), so C = 1/3
    const t3 = (p: number) => (-p * Math.log(p)) / (1 - (1 - p) ** 3);
    expect(nats([1, 1, 1], "chao-shen")).toBeCloseTo(3 * t3(1 / 9), 14);
    // no singletons: C = 1, plug-in frequencies with the Horvitz-Thompson weights
    const t = (p: number) => (-p * Math.log(p)) / (1 - (1 - p) ** 6);
    expect(nats([2, 4], "chao-shen")).toBeCloseTo(t(1 / 3) + t(2 / 3), 14);
  });

  it("james-stein: shrinkage intensity of Hausser & Strimmer (2009) eq. 8, worked by hand", () => {
    // counts (6, 2), K = 2: lambda = (1 - 0.625) / (7 * 0.125) = 3/7, p1 = 3/14 + (4/7)(3/4) = 9/14
    expect(entropyFromCounts([6, 2], { estimator: "james-stein" })).toBeCloseTo(binaryEntropy(9 / 14), 14);
    // counts (3, 1), K = 2: lambda = 0.375 / (3 * 0.125) = 1 -> uniform
    expect(entropyFromCounts([3, 1], { estimator: "james-stein" })).toBeCloseTo(1, 14);
    // counts (6, 2) with K = 4 (two unseen bins): lambda = 0.375 / (7 * 0.375) = 1/7,
    // p = (19/28, 7/28, 1/28, 1/28); the same as counts (6, 2, 0, 0) with K = length
    const p = [19 / 28, 7 / 28, 1 / 28, 1 / 28];
    const expected = -p.reduce((a, q) => a + q * Math.log2(q), 0);
    expect(entropyFromCounts([6, 2], { estimator: "james-stein", alphabetSize: 4 })).toBeCloseTo(
      expected,
      14,
    );
    expect(entropyFromCounts([6, 2, 0, 0], { estimator: "james-stein" })).toBeCloseTo(expected, 14);
  });

  it("grassberger (2003, eq. 35 with G of eq. 30) matches ndd's recursive G series", () => {
    // ndd/estimators.py g_series: G(1) = -gamma - ln 2, G(2) = 2 + G(1),
    // G(2m) = G(2) + psi(m + 1/2) - psi(3/2), G(2m+1) = G(2m): an independent route to the same G.
    const g = (n: number): number => {
      const g1 = digamma(1) - Math.LN2;
      if (n === 1) return g1;
      if (n % 2 === 1) return g(n - 1);
      return 2 + g1 + digamma((n + 1) / 2) - digamma(1.5);
    };
    for (const counts of [[2, 1], [5], [1, 1, 1, 1, 1], [4, 2, 1, 3, 7], [100, 37, 12, 1]]) {
      const n = counts.reduce((a, b) => a + b, 0);
      const expected = Math.log(n) - counts.reduce((a, c) => a + c * g(c), 0) / n;
      expect(nats(counts, "grassberger")).toBeCloseTo(expected, 12);
    }
    // values printed by that recursion in double precision (numpy/scipy)
    expect(nats([2, 1], "grassberger")).toBeCloseTo(1.0356418007962545, 13);
    expect(nats([4, 2, 1, 3, 7], "grassberger")).toBeCloseTo(1.6251448169686749, 13);
  });
});

describe("nsb", () => {
  it("reproduces ndd's README example (counts of 20 bins, K = 20): 2.623634344902917 nats", () => {
    const counts = [7, 3, 5, 8, 9, 1, 3, 3, 1, 0, 2, 5, 2, 11, 4, 23, 5, 0, 8, 0];
    expect(nats(counts, "nsb", 20)).toBeCloseTo(2.623634344902917, 9);
  });

  it("reproduces ndd's tests/run_example.py (k = 100) to 5e-6; independent quadrature to 1e-11", () => {
    const counts = [4, 12, 4, 5, 3, 1, 5, 1, 2, 2, 2, 2, 11, 3, 4, 12, 12, 1, 2];
    const value = nats(counts, "nsb", 100);
    // ndd asserts 2.8060922529931225 (its own quadrature); scipy.integrate.quad of the same
    // NSB integrals over ln(beta) gives 2.80609691605433, which we match more tightly.
    expect(Math.abs(value - 2.8060922529931225)).toBeLessThan(5e-6);
    expect(value).toBeCloseTo(2.80609691605433, 11);
  });

  it.each([
    // reference: scipy.integrate.quad over t = ln(beta) of evidence x (K psi1(K b + 1) - psi1(b + 1)) x b,
    // numerator weighted by the posterior-mean entropy (Wolpert & Wolf 1995), in bits
    [[2, 1], 2, 0.8496661677840172],
    [[2, 2], 2, 0.9033969126540957],
    [[5, 3, 2], 3, 1.4609476507150805],
  ])("counts %j with K = %d: independent quadrature value", (counts, k, bits) => {
    expect(entropyFromCounts(counts, { estimator: "nsb", alphabetSize: k })).toBeCloseTo(bits, 11);
  });

  it("approaches the true entropy with many samples and K known", () => {
    const counts = [5000, 2500, 1250, 1250];
    expect(entropyFromCounts(counts, { estimator: "nsb", alphabetSize: 4 })).toBeCloseTo(1.75, 2);
  });

  it("without K, undersampled: the asymptotic NSB of Nemenman (2011), eq. 29", () => {
    // 100 samples, 95 distinct values: 5 doubletons and 90 singletons, D = 5 coincidences
    const counts = [...new Array(5).fill(2), ...new Array(90).fill(1)];
    const expected = -digamma(1) - Math.LN2 + 2 * Math.log(100) - digamma(5);
    expect(nats(counts, "nsb")).toBeCloseTo(expected, 12);
  });

  it("without K, well sampled: the NSB integral with K = observed bins", () => {
    expect(nats([30, 20, 10], "nsb")).toBe(nats([30, 20, 10], "nsb", 3));
  });

  it("without K and without any coincidence, refuses (the estimate is unbounded)", () => {
    expect(() => nats([1, 1, 1], "nsb")).toThrow(/repeated value/);
  });
});

describe("all estimators", () => {
  it.each(DISCRETE_ESTIMATORS)("%s is invariant to the order of the counts (property)", (estimator) => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (counts, seed) => {
          fc.pre(counts.some((c) => c > 1));
          const shuffled = counts
            .map((c, i) => [c, (i * 7919 + seed) % 1009] as const)
            .sort((a, b) => a[1] - b[1])
            .map(([c]) => c);
          const k = estimator === "nsb" ? counts.length + 3 : undefined;
          expect(nats(shuffled, estimator, k)).toBeCloseTo(nats(counts, estimator, k), 9);
        },
      ),
      { numRuns: estimator === "nsb" ? 20 : 100 },
    );
  });

  it.each(DISCRETE_ESTIMATORS)("%s converges to the true entropy at large N", (estimator) => {
    const counts = [40_000, 30_000, 20_000, 10_000];
    const truth = -[0.4, 0.3, 0.2, 0.1].reduce((a, p) => a + p * Math.log2(p), 0);
    expect(entropyFromCounts(counts, { estimator })).toBeCloseTo(truth, 3);
  });

  it("reject bad counts and unknown estimators", () => {
    expect(() => entropyFromCounts([0, 0])).toThrow(/empty sample/);
    expect(() => entropyFromCounts([1, -1])).toThrow(/non-negative/);
    expect(() => entropyFromCounts([1, Number.NaN])).toThrow(/finite/);
    expect(() => entropyFromCounts([1.5, 2], { estimator: "grassberger" })).toThrow(/integer/);
    expect(() => entropyFromCounts([1, 2], { estimator: "bogus" as "plugin" })).toThrow(/unknown/);
    expect(() => entropyFromCounts([1, 2, 3], { estimator: "nsb", alphabetSize: 2 })).toThrow(/alphabetSize/);
  });
});
