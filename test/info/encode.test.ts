import { describe, expect, it } from "vitest";
import { countDistinctTuples } from "../../src/info/encode.js";
import { codeCardinality, countCodes, createRng, encodeValues, jointCodes } from "../../src/info/index.js";

describe("encodeValues", () => {
  it("codes values in order of first appearance, distinguishing types", () => {
    const { codes, levels } = encodeValues(["a", 1, "1", "a", null, 1]);
    expect(Array.from(codes)).toEqual([0, 1, 2, 0, 3, 1]);
    expect(levels).toEqual(["a", 1, "1", null]);
  });
});

describe("jointCodes", () => {
  it("combines small columns arithmetically", () => {
    const { codes, cardinality } = jointCodes([Int32Array.of(0, 1, 1, 0), Int32Array.of(0, 0, 1, 2)]);
    expect(cardinality).toBe(6);
    expect(Array.from(codes)).toEqual([0, 3, 4, 2]);
  });

  it("codes every distinct pair consistently, densely when the product of cardinalities is large", () => {
    const n = 3000;
    const a = Int32Array.from({ length: n }, (_, i) => (i % 2000) * 1000);
    const b = Int32Array.from({ length: n }, (_, i) => (i * i) % 1500);
    const { codes, cardinality } = jointCodes([a, b]);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const key = `${a[i]},${b[i]}`;
      const code = seen.get(key);
      if (code === undefined) seen.set(key, codes[i]);
      else expect(codes[i]).toBe(code);
    }
    expect(new Set(seen.values()).size).toBe(seen.size);
    expect(cardinality).toBe(seen.size); // 2000 x ~1500 cells > dense limit: re-coded densely
  });

  it("keeps the mixed-radix code (an upper bound on distinct values) when the product is small", () => {
    const n = 1000;
    const { codes, cardinality } = jointCodes([
      Int32Array.from({ length: n }, (_, i) => i % 10),
      Int32Array.from({ length: n }, (_, i) => i % 4),
    ]);
    expect(cardinality).toBe(40);
    expect(new Set(codes).size).toBe(20); // lcm(10, 4) pairs occur
  });

  it("handles many distinct pairs through table growth", () => {
    const n = 50_000;
    const a = Int32Array.from({ length: n }, (_, i) => i * 7919);
    const b = Int32Array.from({ length: n }, (_, i) => i % 3);
    const { cardinality } = jointCodes([a, b]);
    expect(cardinality).toBe(n);
  });

  it("rejects negative codes and unequal lengths", () => {
    expect(() => codeCardinality(Int32Array.of(0, -1))).toThrow(/non-negative/);
    expect(() => jointCodes([Int32Array.of(0, 1), Int32Array.of(0)])).toThrow(/differ in length/);
    expect(() => jointCodes([])).toThrow();
  });
});

describe("countCodes", () => {
  it("counts each code and rejects codes out of range", () => {
    expect(Array.from(countCodes(Int32Array.of(0, 2, 2), 3))).toEqual([1, 0, 2]);
    expect(() => countCodes(Int32Array.of(0, 3), 3)).toThrow(/outside/);
  });
});

describe("countDistinctTuples", () => {
  const tally = (columns: Int32Array[]) => {
    const m = new Map<string, number>();
    for (let i = 0; i < columns[0].length; i++) {
      const key = columns.map((c) => c[i]).join(",");
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    return [...m.values()].sort((p, q) => p - q);
  };

  it.each([
    ["compact keys (product < 2^31)", [300, 200, 50]],
    ["tuple keys (product >= 2^31)", [1 << 20, 1 << 20, 1 << 12]],
  ])("counts the distinct rows with %s", (_, cards) => {
    const rng = createRng(4);
    const n = 20_000;
    const cols = cards.map((k) =>
      Int32Array.from({ length: n }, () => rng.int(Math.min(k, 40)) * Math.floor(k / 40)),
    );
    for (const columns of [cols.slice(0, 2), cols]) {
      const counts = Array.from(countDistinctTuples(columns, cards.slice(0, columns.length))).sort(
        (p, q) => p - q,
      );
      expect(counts).toEqual(tally(columns));
    }
  });
});
