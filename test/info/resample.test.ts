import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bootstrap,
  conditionalMutualInformation,
  contingencyPermutationTest,
  createRng,
  encodeValues,
  informationPermutationTest,
  mutualInformation,
  permutationTest,
  sortedQuantile,
  takeRows,
} from "../../src/info/index.js";
import { sequentialStop } from "../../src/info/resample.js";

const meanOf = (values: Float64Array) => (rows: Int32Array) => {
  let s = 0;
  for (const r of rows) s += values[r];
  return s / rows.length;
};

describe("sortedQuantile (type 7)", () => {
  // numpy.quantile([1, 1, 2, 3, 4, 5, 6, 9], q), numpy's default method "linear"
  it.each([
    [0, 1],
    [0.1, 1],
    [0.25, 1.75],
    [0.5, 3.5],
    [0.9, 6.9],
    [0.975, 8.475],
    [1, 9],
  ])("q = %f gives numpy's %f", (q, expected) => {
    expect(sortedQuantile(Float64Array.of(1, 1, 2, 3, 4, 5, 6, 9), q)).toBeCloseTo(expected, 12);
  });

  it("is the value itself for one value", () => {
    expect(sortedQuantile(Float64Array.of(7), 0.3)).toBe(7);
  });
});

describe("bootstrap", () => {
  it("95% percentile intervals of a mean cover the truth about 95% of the time (seeded)", () => {
    const rng = createRng(2024);
    const trials = 300;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const values = Float64Array.from({ length: 80 }, () => 3 + rng.normal());
      const { ci } = bootstrap(meanOf(values), { n: 80, resamples: 400, level: 0.95, rng });
      if (ci[0] <= 3 && 3 <= ci[1]) covered++;
    }
    // binomial sd at p = 0.95, 300 trials: 0.0126; the percentile bootstrap under-covers slightly at n = 80
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.985);
  });

  it("its standard error of a mean is sigma / sqrt(n)", () => {
    const rng = createRng(11);
    const values = Float64Array.from({ length: 400 }, () => 2 * rng.normal());
    const { se, replicates } = bootstrap(meanOf(values), { n: 400, resamples: 2000, level: 0.9, rng });
    expect(se).toBeCloseTo(2 / 20, 1);
    expect(replicates.length).toBe(2000);
  });

  it("resamples whole groups when a group column is given", () => {
    const rng = createRng(5);
    const groupsCount = 40;
    const size = 25;
    const n = groupsCount * size;
    const groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / size) * 1000 + 7);
    const groupEffect = Float64Array.from({ length: groupsCount }, () => rng.normal());
    const values = Float64Array.from(
      { length: n },
      (_, i) => groupEffect[Math.floor(i / size)] + 0.1 * rng.normal(),
    );
    const sizesOk: boolean[] = [];
    const statistic = (rows: Int32Array) => {
      const perGroup = new Map<number, number>();
      for (const r of rows) perGroup.set(groups[r], (perGroup.get(groups[r]) ?? 0) + 1);
      sizesOk.push([...perGroup.values()].every((c) => c % size === 0));
      return meanOf(values)(rows);
    };
    const grouped = bootstrap(statistic, { n, groups, resamples: 500, level: 0.95, rng });
    expect(sizesOk.every(Boolean)).toBe(true);
    const byRow = bootstrap(meanOf(values), { n, resamples: 500, level: 0.95, rng });
    // clustered data: the group bootstrap sees ~ sd(group effect)/sqrt(40); rows alone understate it
    expect(grouped.se).toBeGreaterThan(3 * byRow.se);
    expect(grouped.se).toBeCloseTo(1 / Math.sqrt(groupsCount), 1);
  });

  it("is reproducible with the same seed", () => {
    const values = Float64Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const run = () => bootstrap(meanOf(values), { n: 50, resamples: 100, level: 0.8, rng: createRng(3) });
    expect(run()).toEqual(run());
  });

  it("bootstraps an MI estimate through takeRows", () => {
    const rng = createRng(8);
    const n = 2000;
    const x = Int32Array.from({ length: n }, () => rng.int(2));
    const y = x.map((v) => (rng.next() < 0.9 ? v : 1 - v));
    const truth = 1 - (-0.9 * Math.log2(0.9) - 0.1 * Math.log2(0.1));
    const { ci } = bootstrap((rows) => mutualInformation([takeRows(x, rows)], [takeRows(y, rows)]), {
      n,
      resamples: 300,
      level: 0.99,
      rng,
    });
    expect(ci[0]).toBeLessThan(truth);
    expect(ci[1]).toBeGreaterThan(truth);
  });

  it("rejects bad options", () => {
    const rng = createRng(1);
    expect(() => bootstrap(() => 0, { n: 0, resamples: 10, level: 0.9, rng })).toThrow();
    expect(() => bootstrap(() => 0, { n: 5, resamples: 1, level: 0.9, rng })).toThrow(/resamples/);
    expect(() => bootstrap(() => 0, { n: 5, resamples: 10, level: 1, rng })).toThrow(/level/);
    expect(() => bootstrap(() => Number.NaN, { n: 5, resamples: 10, level: 0.9, rng })).toThrow(/non-finite/);
  });
});

describe("permutation tests", () => {
  it("independent X, Y: p-value not small; null mean ~ the plug-in bias (K-1)^2 / (2N ln 2)", () => {
    const rng = createRng(12);
    const n = 3000;
    const x = Int32Array.from({ length: n }, () => rng.int(4));
    const y = Int32Array.from({ length: n }, () => rng.int(4));
    const result = informationPermutationTest([x], [y], [], { permutations: 199, rng });
    expect(result.pValue).toBeGreaterThan(0.05);
    expect(result.observed).toBe(mutualInformation([x], [y]));
    expect(result.nullMean).toBeCloseTo(9 / (2 * n * Math.LN2), 3);
  });

  it("dependent X, Y: p-value is the minimum 1/(B+1)", () => {
    const rng = createRng(13);
    const n = 1000;
    const x = Int32Array.from({ length: n }, () => rng.int(3));
    const y = x.map((v) => (rng.next() < 0.5 ? v : rng.int(3)));
    const result = informationPermutationTest([x], [y], [], { permutations: 99, rng });
    expect(result.pValue).toBe(1 / 100);
    expect(result.observed).toBeGreaterThan(result.nullMean + 5 * result.nullSd);
  });

  it("CMI permutes within strata of Z: X and Y dependent only through Z", () => {
    const rng = createRng(14);
    const n = 3000;
    const z = Int32Array.from({ length: n }, () => rng.int(3));
    const x = z.map((v) => (rng.next() < 0.7 ? v : rng.int(3)));
    const y = z.map((v) => (rng.next() < 0.7 ? v : rng.int(3)));
    const marginal = informationPermutationTest([x], [y], [], { permutations: 99, rng });
    expect(marginal.pValue).toBe(0.01);
    const conditional = informationPermutationTest([x], [y], [z], { permutations: 199, rng });
    expect(conditional.pValue).toBeGreaterThan(0.05);
    expect(conditional.observed).toBe(conditionalMutualInformation([x], [y], [z]));
    // permuting within strata keeps each stratum's X multiset: check on the generic API
    let crossings = 0;
    let moved = 0;
    permutationTest(
      (order) => {
        for (let i = 0; i < n; i++) {
          if (z[order[i]] !== z[i]) crossings++;
          if (order[i] !== i) moved++;
        }
        return 0;
      },
      { n, permutations: 3, strata: z, rng },
    );
    expect(crossings).toBe(0);
    expect(moved).toBeGreaterThan(2 * n); // the rows really are shuffled
  });

  it("counts ties as at least as large: a constant statistic has p = 1", () => {
    const result = permutationTest(() => 0.25, { n: 10, permutations: 19, rng: createRng(1) });
    expect(result).toEqual({ observed: 0.25, pValue: 1, nullMean: 0.25, nullSd: 0, permutations: 19 });
  });

  it("is reproducible with the same seed", () => {
    const x = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 5);
    const y = Int32Array.from({ length: 200 }, (_, i) => (i * 3) % 4);
    const run = () => informationPermutationTest([x], [y], [], { permutations: 50, rng: createRng(77) });
    expect(run()).toEqual(run());
  });
});

/** Σ_i x_i y_{order[i]}: a cheap statistic for the generic test. */
const dot = (x: Int32Array, y: Int32Array) => (order: Int32Array) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[order[i]];
  return s;
};

describe("sequential permutation tests (Besag & Clifford 1991)", () => {
  it.each([
    [0.025, 499, 13], // hacking channels with 2 features: 13/499 > 0.025 >= 12/499
    [0.05, 199, 10],
    [0.05, 19, 1],
    [0.01, 999, 10],
    [1, 20, 21], // never stops
  ])("stops after floor(alpha B) + 1 exceedances: alpha %f, B %i -> h %i", (alpha, b, h) => {
    expect(sequentialStop(alpha, b)).toBe(h);
    expect(h / b).toBeGreaterThan(alpha);
    if (h > 1) expect((h - 1) / b).toBeLessThanOrEqual(alpha);
  });

  it("rejects a level outside (0, 1]", () => {
    expect(() => sequentialStop(0, 99)).toThrow(/alpha/);
    expect(() => sequentialStop(1.5, 99)).toThrow(/alpha/);
  });

  it("stops at the h-th exceedance with p = h / l: a constant statistic stops after h permutations", () => {
    const result = permutationTest(() => 1, {
      n: 10,
      permutations: 99,
      rng: createRng(1),
      sequential: { alpha: 0.05 },
    });
    // h = floor(0.05 * 99) + 1 = 5; every null value ties with the observed one
    expect(result).toEqual({ observed: 1, pValue: 1, nullMean: 1, nullSd: 0, permutations: 5 });
  });

  it("equals the fixed-B test, draw for draw, when it does not stop", () => {
    const rng = createRng(31);
    const x = Int32Array.from({ length: 300 }, () => rng.int(5));
    const y = x.map((v) => v + rng.int(3)); // strongly dependent: no null value reaches the observed
    const run = (sequential?: { alpha: number }) =>
      permutationTest(dot(x, y), { n: 300, permutations: 199, rng: createRng(4), sequential });
    const fixed = run();
    expect(fixed.pValue).toBe(1 / 200);
    expect(run({ alpha: 0.05 })).toEqual(fixed);
  });

  it("decides p <= alpha exactly as the fixed-B test on the same draws (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 10, max: 60 }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.constantFrom(0.01, 0.025, 0.05, 0.2),
        fc.integer({ min: 1, max: 199 }),
        (seed, n, strength, alpha, permutations) => {
          const rng = createRng(seed);
          const x = Int32Array.from({ length: n }, () => rng.int(4));
          const y = x.map((v) => Math.round(strength * v + 2 * rng.next()));
          const options = { n, permutations, strata: x.map((v) => v % 2) };
          const fixed = permutationTest(dot(x, y), { ...options, rng: createRng(seed + 1) });
          const seq = permutationTest(dot(x, y), {
            ...options,
            rng: createRng(seed + 1),
            sequential: { alpha },
          });
          expect(seq.pValue <= alpha).toBe(fixed.pValue <= alpha);
          const h = sequentialStop(alpha, permutations);
          // a test that did not stop never shows p = h / B: its (b + 1) / (B + 1) has b < h
          const stopped = seq.permutations < permutations || seq.pValue === h / permutations;
          if (!stopped) {
            expect(seq).toEqual(fixed);
          } else {
            // stopped at l <= B at the h-th exceedance: p = h / l, and the full run saw at least h
            expect(seq.pValue).toBe(h / seq.permutations);
            expect(seq.pValue).toBeGreaterThan(alpha);
            expect(fixed.pValue).toBeGreaterThanOrEqual((h + 1) / (permutations + 1));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("gives valid p-values under the null: P(p <= u) <= u (seeded simulation, 600 null data sets)", () => {
    const rng = createRng(2025);
    const trials = 600;
    const pValues: number[] = [];
    let run = 0;
    for (let t = 0; t < trials; t++) {
      const n = 120;
      const z = Int32Array.from({ length: n }, () => rng.int(10));
      const x = Int32Array.from({ length: n }, () => rng.int(3));
      const y = Int32Array.from({ length: n }, () => rng.int(2));
      const result = contingencyPermutationTest(x, y, z, {
        permutations: 199,
        rng: rng.fork(),
        sequential: { alpha: 0.05 },
      });
      pValues.push(result.pValue);
      run += result.permutations;
    }
    const rate = (u: number) => pValues.filter((p) => p <= u).length / trials;
    // binomial sd at u = 0.05, 600 trials: 0.0089; the discrete statistic makes the test slightly conservative
    expect(rate(0.05)).toBeLessThanOrEqual(0.05 + 3 * 0.0089);
    expect(rate(0.05)).toBeGreaterThan(0.02);
    for (const u of [0.1, 0.25, 0.5]) {
      expect(rate(u)).toBeLessThanOrEqual(u + 3 * Math.sqrt((u * (1 - u)) / trials));
    }
    // under the null most tests stop after about h / p permutations: far fewer than B on average
    expect(run / trials).toBeLessThan(60);
  });
});

describe("contingencyPermutationTest", () => {
  it("observes the plug-in I(X;Y|Z) and has the null of the generic within-strata test", () => {
    const rng = createRng(41);
    const n = 2000;
    const z = Int32Array.from({ length: n }, () => rng.int(150));
    const x = Int32Array.from({ length: n }, () => rng.int(3));
    const y = Int32Array.from({ length: n }, () => rng.int(4));
    const fast = contingencyPermutationTest(x, y, z, { permutations: 400, rng: createRng(1) });
    const generic = informationPermutationTest([y], [x], [z], { permutations: 400, rng: createRng(1) });
    expect(fast.observed).toBeCloseTo(conditionalMutualInformation([x], [y], [z]), 10);
    expect(generic.observed).toBeCloseTo(fast.observed, 10);
    // two Monte Carlo estimates of the same null mean: within a few standard errors of each other
    const se = Math.hypot(fast.nullSd, generic.nullSd) / Math.sqrt(400);
    expect(Math.abs(fast.nullMean - generic.nullMean)).toBeLessThan(4 * se);
    expect(fast.nullSd / generic.nullSd).toBeGreaterThan(0.8);
    expect(fast.nullSd / generic.nullSd).toBeLessThan(1.25);
    expect(fast.pValue).toBeGreaterThan(0.05);
  });

  it("has the closed-form null of 2x2 strata: aligned tables with probability 1/3", () => {
    // K4 strata x = 0011, y = 0011 (6 arrangements of y, 2 aligned: Σ n ln n = 4 ln 2, else 0) and
    // K3 strata x = 001, y = 011 (3 arrangements, 1 gives a 2-count cell: Σ = 2 ln 2, else 0)
    const K4 = 150;
    const K3 = 200;
    const x: number[] = [];
    const y: number[] = [];
    const z: number[] = [];
    for (let k = 0; k < K4; k++) {
      x.push(0, 0, 1, 1);
      y.push(0, 0, 1, 1);
      z.push(k, k, k, k);
    }
    for (let k = 0; k < K3; k++) {
      x.push(0, 0, 1);
      y.push(0, 1, 1);
      z.push(K4 + k, K4 + k, K4 + k);
    }
    const n = 4 * K4 + 3 * K3;
    const result = contingencyPermutationTest(Int32Array.from(x), Int32Array.from(y), Int32Array.from(z), {
      permutations: 3000,
      rng: createRng(8),
      unit: "nats",
    });
    // n I = Σ n_xy ln n_xy - (Σ n_x ln n_x + Σ n_y ln n_y - n ln n); the bracket is 0 for the 4-row
    // strata and 4 ln 2 - 3 ln 3 for the 3-row ones
    const bracket = K3 * (4 * Math.LN2 - 3 * Math.log(3));
    expect(result.observed).toBeCloseTo((K4 * 4 * Math.LN2 - bracket) / n, 10);
    const nullMean = ((K4 * 4 * Math.LN2) / 3 + (K3 * 2 * Math.LN2) / 3 - bracket) / n;
    const nullSd = Math.sqrt(K4 * (16 * Math.LN2 ** 2) * (2 / 9) + K3 * (4 * Math.LN2 ** 2) * (2 / 9)) / n;
    expect(result.nullSd).toBeCloseTo(nullSd, 3);
    expect(Math.abs(result.nullMean - nullMean)).toBeLessThan((4 * nullSd) / Math.sqrt(3000));
    expect(result.pValue).toBe(1 / 3001);
  });

  it("has the exact p-value of one small stratum: P(null >= observed) = 2/6", () => {
    // y = 0011 against x = 0011: the aligned and the anti-aligned arrangement tie at the maximum
    const result = contingencyPermutationTest(
      Int32Array.from([0, 0, 1, 1]),
      Int32Array.from([0, 0, 1, 1]),
      undefined,
      { permutations: 6000, rng: createRng(3) },
    );
    expect(result.observed).toBeCloseTo(1, 12); // 1 bit
    expect(Math.abs(result.pValue - 1 / 3)).toBeLessThan(4 * Math.sqrt((1 / 3) * (2 / 3) * (1 / 6000)));
  });

  it("leaves out strata whose table cannot change, without changing the statistic", () => {
    const rng = createRng(17);
    const n = 600;
    const z = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 6));
    const x = Int32Array.from({ length: n }, () => rng.int(2));
    const y = x.map((v) => (rng.next() < 0.8 ? v : 1 - v));
    const base = contingencyPermutationTest(x, y, z, { permutations: 99, rng: createRng(5) });
    // add a constant-X stratum (x 000, y 101), a constant-Y one (x 011, y 111) and one whose
    // values never repeat (x 01, y 01): the same draws, the statistic shifted by their exact n I
    const zs = [...z, 1000, 1000, 1000, 1001, 1001, 1001, 1002, 1002];
    const xs = [...x, 0, 0, 0, 0, 1, 1, 0, 1];
    const ys = [...y, 1, 0, 1, 1, 1, 1, 0, 1];
    const more = contingencyPermutationTest(Int32Array.from(xs), Int32Array.from(ys), Int32Array.from(zs), {
      permutations: 99,
      rng: createRng(5),
    });
    // the 2-row stratum carries 2 ln 2 nats = 2 bits under every permutation; the others 0
    const total = n + 8;
    expect(more.observed).toBeCloseTo((base.observed * n + 2) / total, 10);
    expect(more.nullMean).toBeCloseTo((base.nullMean * n + 2) / total, 10);
    expect(more.pValue).toBe(base.pValue);
    expect(more.permutations).toBe(base.permutations);
  });

  it("is reproducible, accepts arbitrary integer codes, and checks its input", () => {
    const rng = createRng(23);
    const z = Int32Array.from({ length: 500 }, () => rng.int(40) * 1_000_003 - 7);
    const x = Int32Array.from({ length: 500 }, () => rng.int(3) - 5);
    const y = Int32Array.from({ length: 500 }, () => rng.int(3) * 99_991);
    const run = () => contingencyPermutationTest(x, y, z, { permutations: 50, rng: createRng(2) });
    expect(run()).toEqual(run());
    const dense = (c: Int32Array) => encodeValues(Array.from(c)).codes;
    expect(run().observed).toBeCloseTo(conditionalMutualInformation([dense(x)], [dense(y)], [dense(z)]), 10);
    expect(() => contingencyPermutationTest(x, y.subarray(1), z, { permutations: 5, rng })).toThrow(/rows/);
    expect(() => contingencyPermutationTest(x, y, z, { permutations: 0, rng })).toThrow(/permutations/);
  });
});
