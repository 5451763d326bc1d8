import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertNats, createRng, toNats } from "../../src/info/index.js";

describe("units", () => {
  it("converts nats to bits by dividing by ln 2", () => {
    expect(convertNats(Math.LN2, "bits")).toBe(1);
    expect(convertNats(1.5, "nats")).toBe(1.5);
    expect(toNats(1, "bits")).toBe(Math.LN2);
  });
});

describe("createRng", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it("draws uniform doubles in [0,1) with the right mean and variance", () => {
    const rng = createRng(1);
    const n = 200_000;
    let s = 0;
    let ss = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      ss += u * u;
    }
    expect(outside).toBe(0);
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(ss / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it("draws integers uniformly over 0..n-1 (chi-square)", () => {
    const rng = createRng(7);
    const k = 10;
    const n = 100_000;
    const tally = new Array(k).fill(0);
    for (let i = 0; i < n; i++) tally[rng.int(k)]++;
    const chi2 = tally.reduce((acc, t) => acc + (t - n / k) ** 2 / (n / k), 0);
    expect(chi2).toBeLessThan(27.9); // 99.9th percentile of chi-square with 9 d.o.f.
    expect(() => rng.int(0)).toThrow();
  });

  it("draws standard normals", () => {
    const rng = createRng(3);
    const n = 200_000;
    let s = 0;
    let ss = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      ss += z * z;
      if (Math.abs(z) > 1.959964) beyond2++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015);
    expect(ss / n).toBeCloseTo(1, 1);
    expect(beyond2 / n).toBeCloseTo(0.05, 2);
  });

  it("forks independent, reproducible streams", () => {
    const parent = createRng(9);
    const child = parent.fork();
    const again = createRng(9).fork();
    const xs = Array.from({ length: 4 }, () => child.next());
    expect(Array.from({ length: 4 }, () => again.next())).toEqual(xs);
    expect(Array.from({ length: 4 }, () => parent.next())).not.toEqual(xs);
  });

  it("rejects a non-finite seed", () => {
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
  });
});

describe("Rng.ints", () => {
  it("gives the values of successive int(n) calls and leaves the generator where they would", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 1, max: 2 ** 32 }),
        fc.integer({ min: 0, max: 300 }),
        (seed, n, length) => {
          const a = createRng(seed);
          const b = createRng(seed);
          const out = new Uint32Array(length);
          a.ints(n, out);
          const expected = Array.from({ length }, () => b.int(n));
          expect(Array.from(out)).toEqual(expected);
          expect(a.next()).toBe(b.next());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects the ranges int rejects", () => {
    const rng = createRng(1);
    expect(() => rng.ints(0, new Int32Array(3))).toThrow(/positive integer/);
    expect(() => rng.ints(2.5, new Int32Array(3))).toThrow(/positive integer/);
  });
});

/** Lemire's method on a stream of raw 32-bit outputs, in exact integer arithmetic. */
function lemireReference(raw: () => bigint, n: bigint): bigint {
  const reject = ((1n << 32n) - n) % n;
  for (;;) {
    const product = raw() * n;
    if ((product & 0xffffffffn) >= reject) return product >> 32n;
  }
}

describe("Rng.indices and Rng.countIndices", () => {
  it("gives the raw 32-bit outputs for n = 2^32: the two that make up next()", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (seed) => {
        const raw = new Uint32Array(2);
        createRng(seed).indices(2 ** 32, raw);
        expect(((raw[0] >>> 5) * 2 ** 26 + (raw[1] >>> 6)) / 2 ** 53).toBe(createRng(seed).next());
      }),
      { numRuns: 50 },
    );
  });

  it("equals Lemire's method in exact arithmetic, rejections included, and advances the generator by the outputs used", () => {
    const n = fc.oneof(
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 2 ** 21 - 3, max: 2 ** 21 + 3 }), // the products leave the exact-double range
      fc.integer({ min: 2 ** 31 + 1, max: 2 ** 31 + 2 ** 20 }), // about half the outputs are rejected
      fc.integer({ min: 1, max: 2 ** 32 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        n,
        fc.integer({ min: 0, max: 200 }),
        (seed, n, length) => {
          const fast = createRng(seed);
          const out = new Uint32Array(length);
          fast.indices(n, out);
          const slow = createRng(seed);
          const one = new Uint32Array(1);
          const raw = () => {
            slow.indices(2 ** 32, one);
            return BigInt(one[0]);
          };
          const expected = Array.from({ length }, () => Number(lemireReference(raw, BigInt(n))));
          expect(Array.from(out)).toEqual(expected);
          expect(fast.next()).toBe(slow.next());
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    [10, 100_000],
    [3_000_000_007, 100_000], // a range past 2^31 (Uint32Array), heavy rejection
  ])("draws uniformly over 0..%i-1 (chi-square over 10 bins)", (n, count) => {
    const out = new Uint32Array(count);
    createRng(5).indices(n, out);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (const v of out) {
      if (v >= n) outside++;
      else bins[Math.floor((v * 10) / n)]++;
    }
    expect(outside).toBe(0);
    const chi2 = bins.reduce((acc, t) => acc + (t - count / 10) ** 2 / (count / 10), 0);
    expect(chi2).toBeLessThan(27.9); // 99.9th percentile of chi-square with 9 d.o.f.
  });

  it("is deterministic per seed, differs across seeds, and fills an Int32Array", () => {
    const draw = (seed: number) => {
      const out = new Int32Array(50);
      createRng(seed).indices(1000, out);
      return Array.from(out);
    };
    expect(draw(8)).toEqual(draw(8));
    expect(draw(9)).not.toEqual(draw(8));
    expect(draw(8).every((v) => Number.isInteger(v) && v >= 0 && v < 1000)).toBe(true);
    const ones = new Int32Array(5);
    createRng(1).indices(1, ones);
    expect(Array.from(ones)).toEqual([0, 0, 0, 0, 0]);
  });

  it("countIndices adds 1 per value indices gives to the counts, and leaves the generator where indices would", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 300 }),
        (seed, n, draws) => {
          const counting = createRng(seed);
          const counts = new Int32Array(n).fill(2);
          counting.countIndices(n, draws, counts);
          const listing = createRng(seed);
          const values = new Int32Array(draws);
          listing.indices(n, values);
          const expected = new Int32Array(n).fill(2);
          for (const v of values) expected[v]++;
          expect(Array.from(counts)).toEqual(Array.from(expected));
          expect(counting.next()).toBe(listing.next());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects the ranges int rejects", () => {
    const rng = createRng(1);
    expect(() => rng.countIndices(0, 3, new Int32Array(3))).toThrow(/positive integer/);
    expect(() => rng.indices(0, new Int32Array(3))).toThrow(/positive integer/);
    expect(() => rng.indices(2 ** 32 + 1, new Uint32Array(3))).toThrow(/positive integer/);
  });
});
