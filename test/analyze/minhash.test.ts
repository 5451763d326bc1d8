import { describe, expect, it } from "vitest";
import { jaccardEstimate, minhashSketch } from "../../src/analyze/index.js";
import { createRng } from "../../src/info/index.js";

function shingles(text: string, k: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + k <= text.length; i++) out.add(text.slice(i, i + k));
  return out;
}

describe("bottom-k MinHash", () => {
  it("gives 1 for identical texts and 0 for texts with no shingle in common", () => {
    const a = minhashSketch("the quick brown fox jumps over the lazy dog", 64, 5, 1);
    expect(jaccardEstimate(a, a, 64)).toBe(1);
    const b = minhashSketch("0123456789", 64, 5, 1);
    expect(jaccardEstimate(a, b, 64)).toBe(0);
  });

  it("keeps the k smallest distinct hashes, sorted", () => {
    const s = minhashSketch("abababababab", 64, 2, 3);
    expect(s.length).toBe(2); // shingles "ab" and "ba"
    expect(s[0]).toBeLessThan(s[1]);
  });

  it.each([1, 2, 3])("estimates the true Jaccard similarity within sampling error (seed %s)", (seed) => {
    const rng = createRng(seed);
    const words = Array.from({ length: 400 }, () => rng.int(100000).toString(36));
    const a = words.join(" ");
    const b = [
      ...words.slice(0, 300),
      ...Array.from({ length: 100 }, () => rng.int(100000).toString(36)),
    ].join(" ");
    const sa = shingles(a, 5);
    const sb = shingles(b, 5);
    const inter = [...sa].filter((x) => sb.has(x)).length;
    const truth = inter / (sa.size + sb.size - inter);
    const k = 256;
    const estimate = jaccardEstimate(minhashSketch(a, k, 5, seed), minhashSketch(b, k, 5, seed), k);
    // standard error of the bottom-k estimator is about sqrt(J(1-J)/k)
    expect(Math.abs(estimate - truth)).toBeLessThan(4 * Math.sqrt((truth * (1 - truth)) / k));
  });
});
