import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Batches, EstimateBatch, round } from "../../src/analyze/estimate.js";
import { bootstrap, createRng } from "../../src/info/index.js";

type Combine = (sums: number[]) => number;

/** The interval the straightforward way: src/info's bootstrap, each replicate summing the drawn units in draw order. */
function reference(
  columns: Float64Array[],
  combine: Combine,
  units: number,
  resamples: number,
  rng: ReturnType<typeof createRng>,
) {
  const { ci } = bootstrap(
    (rows) => {
      const sums = columns.map((c) => {
        let t = 0;
        for (let i = 0; i < rows.length; i++) t += c[rows[i]];
        return t;
      });
      const v = combine(sums);
      return Number.isFinite(v) ? v : 0;
    },
    { n: units, resamples, level: 0.9, rng: rng.fork() },
  );
  return ci.map(round);
}

function expectClose(actual: [number, number] | undefined, expected: number[]) {
  expect(actual).toBeDefined();
  actual!.forEach((v, i) => {
    expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(expected[i])));
  });
}

describe("EstimateBatch.run", () => {
  it("gives each estimate the percentile interval of the same draws as a plain group bootstrap", () => {
    const units = 57;
    const rng = createRng(3);
    const col = () => Float64Array.from({ length: units }, () => (rng.int(4) === 0 ? 0 : rng.next() * 10));
    const a = col();
    const b = col();
    const c = Float64Array.from({ length: units }, (_, u) => 1 + (u % 3));
    const aCopy = a.slice(); // equal content, another object: summed once
    const zero = new Float64Array(units);
    const d = col();
    const e = col();
    const f = col();
    const oneHot = Float64Array.from({ length: units }, (_, u) => (u === 5 ? 2 : 0));
    const specs: [Float64Array[], Combine][] = [
      [[a, c], ([x, y]) => x / y],
      [[aCopy, b, c], ([x, y, z]) => (x - y) / z],
      [[zero, c], ([x, y]) => x / y],
      [[b, zero], ([x, y]) => x / y], // b/0 is not finite: no estimate, no interval
      [[zero, oneHot], ([x, y]) => x / y], // 0/0 in the replicates that miss unit 5: counted as 0
      [[a, oneHot], ([x, y]) => x / y], // a/0 = Infinity there: counted as 0
      [[d, e, f, a, b], ([p, q, r, s, t]) => (p + q * r) / (s + t)],
      [[f, d], ([x, y]) => Math.log(x / y)],
    ];
    const batch = new EstimateBatch(units);
    const estimates = specs.map(([columns, combine]) => batch.add(columns, combine, 100));
    batch.run({ resamples: 150, level: 0.9, rng: createRng(11) });
    // one fork of the rng serves the whole batch: every item sees the same draws
    specs.forEach(([columns, combine], k) => {
      if (estimates[k].value !== null)
        expectClose(estimates[k].ci, reference(columns, combine, units, 150, createRng(11)));
    });
    expect(estimates[2].ci).toEqual([0, 0]);
    expect(estimates[3].value).toBeNull();
    expect(estimates[3].ci).toBeUndefined();
  });

  it("matches the plain bootstrap on random columns (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 0, max: 1000 }),
        (units, width, seed) => {
          const rng = createRng(seed);
          const columns = Array.from({ length: width }, () =>
            Float64Array.from({ length: units }, () => (rng.int(3) === 0 ? 0 : rng.int(50) / 7)),
          );
          const combine: Combine = (sums) => sums.reduce((s, v, i) => s + (i + 1) * v, 0) / (1 + sums[0]);
          const batch = new EstimateBatch(units);
          const estimate = batch.add(columns, combine, units);
          batch.run({ resamples: 20, level: 0.9, rng: createRng(seed + 1) });
          expectClose(estimate.ci, reference(columns, combine, units, 20, createRng(seed + 1)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("matches the plain bootstrap on 1,300 units, 13 columns and 21 resamples", () => {
    const units = 1300;
    const rng = createRng(8);
    const columns = Array.from({ length: 13 }, () =>
      Float64Array.from({ length: units }, () => (rng.int(5) === 0 ? 0 : rng.next())),
    );
    const combine: Combine = (sums) => (sums[0] + sums[12] * sums[7]) / (sums[3] + sums[9]);
    const batch = new EstimateBatch(units);
    const estimate = batch.add(columns, combine, units);
    batch.run({ resamples: 21, level: 0.9, rng: createRng(2) });
    expectClose(estimate.ci, reference(columns, combine, units, 21, createRng(2)));
  });

  it("leaves intervals out with fewer than 2 units or 2 resamples, and rejects a bad level", () => {
    const one = new EstimateBatch(1);
    const e1 = one.ratio(Float64Array.of(1), Float64Array.of(2), 1);
    one.run({ resamples: 100, level: 0.95, rng: createRng(1) });
    expect(e1).toEqual({ value: 0.5, n: 1, prompts: 1 });
    const two = new EstimateBatch(2);
    const e2 = two.ratio(Float64Array.of(1, 3), Float64Array.of(2, 2), 4);
    two.run({ resamples: 0, level: 0.95, rng: createRng(1) });
    expect(e2.ci).toBeUndefined();
    expect(() => two.run({ resamples: 10, level: 1.5, rng: createRng(1) })).toThrow(/confidence level/);
  });
});

describe("Batches.run", () => {
  it("runs the batches in creation order, each on its own fork of the rng", () => {
    const keyA = {};
    const keyB = {};
    const batches = new Batches();
    const num = Float64Array.of(1, 5, 2, 8, 0, 3);
    const den = Float64Array.of(2, 6, 2, 9, 1, 4);
    const ea = batches.of(keyA, 6).ratio(num, den, 27);
    const eb = batches.of(keyB, 6).ratio(den, num, 27);
    expect(batches.of(keyA, 6).ratio(num, num, 19).value).toBe(1);
    batches.run({ resamples: 80, level: 0.9, rng: createRng(5) });
    const rng = createRng(5);
    expectClose(
      ea.ci,
      reference([num, den], ([a, b]) => a / b, 6, 80, rng),
    );
    expectClose(
      eb.ci,
      reference([den, num], ([a, b]) => a / b, 6, 80, rng),
    );
  });
});
