import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Batches, type BatchUnits, BLOCK, round } from "../../src/analyze/estimate.js";
import { createRng, type Rng } from "../../src/info/index.js";

type Combine = (sums: number[]) => number;

interface Spec {
  scope: BatchUnits;
  items: { columns: Float64Array[]; combine: Combine }[];
}

/**
 * The intervals the straightforward way: replicate r (block r / BLOCK, with that block's fork of
 * `rng`) draws P prompts with `indices`; each batch's unit u weighs count[prompt of u]; a
 * replicate drawing none of a batch's units is left out of that batch's intervals, one where an
 * estimate is not finite out of that estimate's; no interval (null) when fewer than half of the
 * replicates are kept.
 */
function reference(P: number, specs: Spec[], resamples: number, level: number, rng: Rng) {
  const values = specs.map((spec) => spec.items.map(() => [] as number[]));
  const drawn = new Int32Array(P);
  let fork = rng;
  for (let r = 0; r < resamples; r++) {
    if (r % BLOCK === 0) fork = rng.fork();
    fork.indices(P, drawn);
    const counts = new Int32Array(P);
    for (const p of drawn) counts[p]++;
    specs.forEach(({ scope, items }, s) => {
      const weight = (u: number) => counts[scope.unitPrompt === null ? u : scope.unitPrompt[u]];
      let total = 0;
      for (let u = 0; u < scope.units; u++) total += weight(u);
      if (total === 0) return;
      items.forEach(({ columns, combine }, k) => {
        const sums = columns.map((c) => {
          let t = 0;
          for (let u = 0; u < scope.units; u++) t += weight(u) * c[u];
          return t;
        });
        const v = combine(sums);
        if (Number.isFinite(v)) values[s][k].push(v);
      });
    });
  }
  const quantile = (sorted: number[], q: number) => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  const alpha = (1 - level) / 2;
  return values.map((batch) =>
    batch.map((v) => {
      if (2 * v.length < resamples) return null;
      const sorted = v.sort((a, b) => a - b);
      return [round(quantile(sorted, alpha)), round(quantile(sorted, 1 - alpha))];
    }),
  );
}

function expectClose(actual: [number, number] | undefined, expected: number[] | null) {
  if (expected === null) {
    expect(actual).toBeUndefined();
    return;
  }
  expect(actual).toBeDefined();
  actual!.forEach((v, i) => {
    expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(expected[i])));
  });
}

/** Adds every item of `specs` to `batches`; returns the estimates by spec and item. */
function addAll(batches: Batches, specs: Spec[]) {
  return specs.map(({ scope, items }) =>
    items.map(({ columns, combine }) => batches.of(scope).add(columns, combine, 100)),
  );
}

describe("Batches.run: a cluster bootstrap over prompts shared by every scope", () => {
  it("gives each estimate the percentile interval of one draw of prompts per replicate, for every batch", () => {
    const P = 57;
    const rng = createRng(3);
    const col = (units: number) =>
      Float64Array.from({ length: units }, () => (rng.int(4) === 0 ? 0 : rng.next() * 10));
    const a = col(P);
    const b = col(P);
    const c = Float64Array.from({ length: P }, (_, u) => 1 + (u % 3));
    const zero = new Float64Array(P);
    const seven = new Float64Array(P).fill(7); // one value: summed as 7 x the total weight
    const oneHot = Float64Array.from({ length: P }, (_, u) => (u === 5 ? 2 : 0));
    const otherHot = Float64Array.from({ length: P }, (_, u) => (u === 6 ? 1 : 0));
    // an iteration with 40 of the prompts, in another order; a sample of 3 prompts
    const iteration: BatchUnits = {
      units: 40,
      unitPrompt: Int32Array.from({ length: 40 }, (_, u) => (u * 7) % P),
    };
    const sample: BatchUnits = { units: 3, unitPrompt: Int32Array.of(4, 30, 11) };
    const d = col(40);
    const e = col(40);
    const specs: Spec[] = [
      {
        scope: { units: P, unitPrompt: null },
        items: [
          { columns: [a, c], combine: ([x, y]) => x / y },
          { columns: [a.slice(), b, c], combine: ([x, y, z]) => (x - y) / z }, // a's copy: summed once
          { columns: [zero, c], combine: ([x, y]) => x / y },
          { columns: [zero, oneHot], combine: ([x, y]) => x / y }, // 0/0 when unit 5 is not drawn: left out
          { columns: [a, oneHot], combine: ([x, y]) => x / y }, // a/0 = Infinity there: left out
          { columns: [b, seven], combine: ([x, y]) => Math.log(x / y) },
          // defined only when units 5 and 6 are both drawn (~40% of replicates): no interval
          { columns: [a, oneHot, otherHot], combine: ([x, y, z]) => x / (y * z) },
        ],
      },
      { scope: iteration, items: [{ columns: [d, e], combine: ([x, y]) => x / (x + y) }] },
      {
        scope: sample,
        items: [
          { columns: [Float64Array.of(1, 2, 3), Float64Array.of(2, 2, 5)], combine: ([x, y]) => x / y },
        ],
      },
    ];
    const batches = new Batches(P);
    const estimates = addAll(batches, specs);
    const noValue = batches.of(specs[0].scope).ratio(b, zero, 100); // b/0: no value, no interval
    batches.run({ resamples: 150, level: 0.9, rng: createRng(11) });
    const expected = reference(P, specs, 150, 0.9, createRng(11));
    estimates.forEach((batch, s) => {
      batch.forEach((estimate, k) => {
        expectClose(estimate.ci, expected[s][k]);
      });
    });
    expect(estimates[0][2].ci).toEqual([0, 0]);
    // left out where unit 5 is not drawn (about 37% of replicates), not counted as 0
    expect(estimates[0][3].ci).toEqual([0, 0]);
    expect(estimates[0][4].ci![0]).toBeGreaterThan(20);
    expect(estimates[0][6].value).not.toBeNull();
    expect(estimates[0][6].ci).toBeUndefined();
    expect(noValue.value).toBeNull();
    expect(noValue.ci).toBeUndefined();
    // the sample's replicates that drew none of its 3 prompts are left out: never 0
    expect(estimates[2][0].ci![0]).toBeGreaterThanOrEqual(0.4);
  });

  it("matches the reference on random scopes and columns (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 0, max: 1000 }),
        (P, width, seed) => {
          const rng = createRng(seed);
          const units = 2 + rng.int(P - 1);
          const scope: BatchUnits =
            rng.int(2) === 0
              ? { units: P, unitPrompt: null }
              : { units, unitPrompt: Int32Array.from({ length: units }, () => rng.int(P)) };
          const columns = Array.from({ length: width }, () =>
            Float64Array.from({ length: scope.units }, () => (rng.int(3) === 0 ? 0 : rng.int(50) / 7)),
          );
          const combine: Combine = (sums) => sums.reduce((s, v, i) => s + (i + 1) * v, 0) / (1 + sums[0]);
          const specs: Spec[] = [{ scope, items: [{ columns, combine }] }];
          const batches = new Batches(P);
          const [[estimate]] = addAll(batches, specs);
          batches.run({ resamples: 20, level: 0.9, rng: createRng(seed + 1) });
          expectClose(estimate.ci, reference(P, specs, 20, 0.9, createRng(seed + 1))[0][0]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("matches the reference on 2,600 prompts, 13 columns (two groups of 8, one padded) and 21 resamples", () => {
    const P = 2600;
    const rng = createRng(8);
    const columns = Array.from({ length: 13 }, () =>
      Float64Array.from({ length: P }, () => (rng.int(5) === 0 ? 0 : rng.next())),
    );
    const combine: Combine = (sums) => (sums[0] + sums[12] * sums[7]) / (sums[3] + sums[9]);
    const half: BatchUnits = {
      units: 1300,
      unitPrompt: Int32Array.from({ length: 1300 }, (_, u) => 2 * u + 1),
    };
    const specs: Spec[] = [
      { scope: { units: P, unitPrompt: null }, items: [{ columns, combine }] },
      { scope: half, items: [{ columns: columns.map((c) => c.slice(0, 1300)), combine }] },
    ];
    const batches = new Batches(P);
    const estimates = addAll(batches, specs);
    batches.run({ resamples: 21, level: 0.9, rng: createRng(2) });
    const expected = reference(P, specs, 21, 0.9, createRng(2));
    expectClose(estimates[0][0].ci, expected[0][0]);
    expectClose(estimates[1][0].ci, expected[1][0]);
  });

  it("gives the same intervals to scopes with the same prompts and values, and shares each replicate across scopes", () => {
    const P = 30;
    const rng = createRng(4);
    const col = () => Float64Array.from({ length: P }, () => rng.next());
    const [x1, x2, n] = [col(), col(), new Float64Array(P).fill(2)];
    const sum = Float64Array.from(x1, (v, u) => v + x2[u]);
    const overall: BatchUnits = { units: P, unitPrompt: null };
    // two "iterations" holding every prompt: unit u is prompt u (another array object each)
    const first: BatchUnits = { units: P, unitPrompt: Int32Array.from({ length: P }, (_, u) => u) };
    const second: BatchUnits = { units: P, unitPrompt: Int32Array.from({ length: P }, (_, u) => u) };
    const seen = { overall: [] as number[], first: [] as number[], second: [] as number[] };
    const record = (into: number[]) => (sums: number[]) => {
      into.push(sums[0]);
      return sums[0] / sums[1];
    };
    const batches = new Batches(P);
    const a = batches.of(overall).add([sum, n], record(seen.overall), P);
    const b = batches.of(first).add([x1, n], record(seen.first), P);
    const c = batches.of(second).add([x1, n], record(seen.second), P);
    batches.run({ resamples: 64, level: 0.95, rng: createRng(1) });
    expect(b.ci).toEqual(c.ci);
    expect(a.ci).not.toEqual(b.ci);
    // in every replicate: the second scope drew what the first drew; the overall sum is
    // the first's plus the same prompts' x2 (the correlation across scopes is kept)
    expect(seen.second.slice(1)).toEqual(seen.first.slice(1));
    const replicateOfX2 = seen.overall.slice(1).map((v, r) => v - seen.first[r + 1]);
    expect(replicateOfX2.every((v) => v > 0)).toBe(true);
    expect(new Set(replicateOfX2.map((v) => v.toFixed(6))).size).toBeGreaterThan(50);
  });

  it("has the spread of the sampling distribution: a 90% interval of a mean is about ± 1.645 sd / sqrt(P)", () => {
    const P = 400;
    const rng = createRng(12);
    const x = Float64Array.from({ length: P }, () => rng.normal() * 3 + 10);
    const mean = x.reduce((s, v) => s + v, 0) / P;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / P);
    const batches = new Batches(P);
    const estimate = batches.of({ units: P, unitPrompt: null }).ratio(x, new Float64Array(P).fill(1), P);
    batches.run({ resamples: 2000, level: 0.9, rng: createRng(7) });
    const [lo, hi] = estimate.ci!;
    const half = (1.6449 * sd) / Math.sqrt(P);
    expect((hi - lo) / 2 / half).toBeGreaterThan(0.9);
    expect((hi - lo) / 2 / half).toBeLessThan(1.1);
    expect(Math.abs((lo + hi) / 2 - mean)).toBeLessThan(0.1 * half);
  });

  it("leaves intervals out with fewer than 2 units or 2 resamples, and rejects a bad level", () => {
    const batches = new Batches(2);
    const one = batches.of({ units: 1, unitPrompt: Int32Array.of(1) });
    const e1 = one.ratio(Float64Array.of(1), Float64Array.of(2), 1);
    const two = batches.of({ units: 2, unitPrompt: null });
    const e2 = two.ratio(Float64Array.of(1, 3), Float64Array.of(2, 2), 4);
    batches.run({ resamples: 0, level: 0.95, rng: createRng(1) });
    expect(e2.ci).toBeUndefined();
    batches.run({ resamples: 100, level: 0.95, rng: createRng(1) });
    expect(e1).toEqual({ value: 0.5, n: 1, prompts: 1 });
    expect(e2.ci![0]).toBeLessThan(e2.ci![1]);
    expect(() => batches.run({ resamples: 10, level: 1.5, rng: createRng(1) })).toThrow(/confidence level/);
    expect(() => batches.run({ resamples: 10.5, level: 0.9, rng: createRng(1) })).toThrow(/integer number/);
  });
});
