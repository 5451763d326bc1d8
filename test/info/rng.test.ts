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
