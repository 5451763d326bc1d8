import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedLine, sortOrder } from "../../src/info/knn-line.js";

const values = fc.oneof(
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 200 }),
  fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 2, maxLength: 200 }),
);

describe("sortOrder", () => {
  it.each([100, 10_000])("sorts like a comparator sort, stably (n = %i, radix above 4096)", (n) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = ((i * 7919) % 101) - 50 + (i % 3 === 0 ? -0 : 0.25 * Math.sin(i));
    v[0] = -0;
    v[1] = 0;
    v[2] = -1e300;
    v[3] = 5e-324;
    const order = Array.from(sortOrder(v));
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
    expect(order.map((i) => v[i])).toEqual(expected.map((i) => v[i]));
    for (let r = 1; r < n; r++)
      if (v[order[r]] === v[order[r - 1]]) expect(order[r]).toBeGreaterThan(order[r - 1]);
  });
});

describe("SortedLine", () => {
  it("counts within a radius like brute force, strict and inclusive, at exact boundaries", () => {
    fc.assert(
      fc.property(values, fc.nat(), fc.nat(), (raw, a, b) => {
        const v = Float64Array.from(raw);
        const line = new SortedLine(v);
        const i = a % v.length;
        const r = Math.abs(v[b % v.length] - v[i]);
        for (const inclusive of [false, true]) {
          let expected = 0;
          for (let j = 0; j < v.length; j++) {
            const d = Math.abs(v[j] - v[i]);
            if (j !== i && (inclusive ? d <= r : d < r)) expected++;
          }
          expect(line.countAround(i, r, inclusive)).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the k-th neighbour distance like brute force", () => {
    fc.assert(
      fc.property(values, fc.nat(), fc.nat(), (raw, a, b) => {
        const v = Float64Array.from(raw);
        const line = new SortedLine(v);
        const i = a % v.length;
        const k = 1 + (b % (v.length - 1));
        const distances = Array.from(v, (x) => Math.abs(x - v[i]))
          .filter((_, j) => j !== i)
          .sort((p, q) => p - q);
        expect(line.kthDistance(i, k)).toBe(distances[k - 1]);
      }),
      { numRuns: 300 },
    );
  });
});
