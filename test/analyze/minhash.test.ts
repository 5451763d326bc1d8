import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jaccardEstimate, minhashSketch } from "../../src/analyze/index.js";
import { MINHASH, MinhashSample, MinhashSamples } from "../../src/analyze/minhash.js";
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

/** The sequential sampler as first written: a linear scan of the sample for every record. */
function naiveSample(stream: [number, number][]): { prompt: number; hash: number; n: number }[] {
  const sample: { prompt: number; hash: number; n: number }[] = [];
  for (const [prompt, hash] of stream) {
    let entry = sample.find((e) => e.prompt === prompt);
    if (entry === undefined) {
      if (sample.length >= MINHASH.prompts) {
        let worst = 0;
        for (let i = 1; i < sample.length; i++) if (sample[i].hash > sample[worst].hash) worst = i;
        if (hash >= sample[worst].hash) continue;
        sample.splice(worst, 1);
      }
      entry = { prompt, hash, n: 0 };
      sample.push(entry);
    }
    entry.n++;
  }
  return sample;
}

describe("MinhashSample", () => {
  it("keeps the same prompts, in the same order, with the same records, as the linear sampler", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(150), { maxLength: 600, size: "max" }),
        fc.integer({ min: 1, max: 40 }),
        (prompts, spread) => {
          // a prompt's hash is a function of the prompt; few distinct hashes force ties
          const stream = prompts.map((p): [number, number] => [p, (p * 7919) % spread]);
          const sample = new MinhashSample();
          const seen = new Map<number, number>();
          for (const [prompt, hash] of stream) {
            const entry = sample.admit(prompt, hash);
            if (entry !== undefined) seen.set(entry.prompt, (seen.get(entry.prompt) ?? 0) + 1);
          }
          const expected = naiveSample(stream);
          expect(sample.entries.map((e) => [e.prompt, e.hash])).toEqual(
            expected.map((e) => [e.prompt, e.hash]),
          );
          // an entry kept at the end was admitted for every one of its records
          for (const e of expected) expect(seen.get(e.prompt)).toBe(e.n);
        },
      ),
    );
  });

  it("sketches at most MINHASH.perPrompt responses of a kept prompt", () => {
    const sample = new MinhashSample();
    for (let i = 0; i < 50; i++) sample.add(3, 10, `response number ${i}`, 1);
    expect(sample.entries).toHaveLength(1);
    expect(sample.entries[0].sketches).toHaveLength(MINHASH.perPrompt);
    expect(sample.entries[0].sketches[1]).toEqual(
      minhashSketch("response number 1", MINHASH.hashes, MINHASH.shingle, 1),
    );
  });
});

describe("MinhashSamples", () => {
  it("gives each iteration one sample, also when iterations interleave, and the entries of asked iterations", () => {
    const samples = new MinhashSamples();
    samples.of(2).admit(5, 0.5);
    samples.of(0).admit(7, 0.25);
    samples.of(2).admit(6, 0.75);
    expect(samples.of(2)).toBe(samples.byIteration.get(2));
    expect([...samples.byIteration.keys()]).toEqual([2, 0]);
    expect(samples.entries([0, 1, 2]).map((kept) => kept.map((e) => e.prompt))).toEqual([[7], [], [5, 6]]);
  });
});
