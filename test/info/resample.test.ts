import { describe, expect, it } from "vitest";
import {
  bootstrap,
  conditionalMutualInformation,
  createRng,
  informationPermutationTest,
  mutualInformation,
  permutationTest,
  takeRows,
} from "../../src/info/index.js";

const meanOf = (values: Float64Array) => (rows: Int32Array) => {
  let s = 0;
  for (const r of rows) s += values[r];
  return s / rows.length;
};

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
    expect(result).toEqual({ observed: 0.25, pValue: 1, nullMean: 0.25, nullSd: 0 });
  });

  it("is reproducible with the same seed", () => {
    const x = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 5);
    const y = Int32Array.from({ length: 200 }, (_, i) => (i * 3) % 4);
    const run = () => informationPermutationTest([x], [y], [], { permutations: 50, rng: createRng(77) });
    expect(run()).toEqual(run());
  });
});
