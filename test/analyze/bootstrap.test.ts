import { describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { classVerdict, type Row, writeJsonl } from "./generate.js";

/** The rows once per iteration in `iterations`. */
function copies(rows: Row[], iterations: number[]): Row[] {
  return iterations.flatMap((iteration) => rows.map((row) => ({ ...row, iteration })));
}

describe("the bootstrap resamples prompts once per replicate for every scope", () => {
  it("gives identical iterations identical intervals, and the overall scope the same ones", async () => {
    const doc = await analyzeRecords([writeJsonl(copies(classVerdict(30, 8), [0, 1, 2]))], {
      seed: 4,
      bootstrap: 120,
    });
    const signal = doc.signals[0];
    const [first, ...rest] = signal.per_iteration;
    expect(first.bits_per_sample.ci![0]).toBeLessThan(first.bits_per_sample.ci![1]);
    for (const other of rest) {
      for (const key of ["bits_per_sample", "task_bits", "intra_class_bits", "efficiency"] as const)
        expect(other[key]!.ci).toEqual(first[key]!.ci);
    }
    const entropy = doc.diversity.per_iteration.map((d) => d.class_entropy!.ci);
    expect(entropy[1]).toEqual(entropy[0]);
    expect(entropy[2]).toEqual(entropy[0]);
    // the overall sums are three times each iteration's, over the same draws (up to rounding)
    signal.overall.bits_per_sample.ci!.forEach((v, i) => {
      expect(v).toBeCloseTo(first.bits_per_sample.ci![i], 5);
    });
  });

  it("weighs an iteration's cells by their prompts' draws when the iteration lacks prompts", async () => {
    const all = classVerdict(30, 8);
    const half = all.filter((row) => Number(String(row.prompt_id).slice(1)) < 15);
    const doc = await analyzeRecords([writeJsonl([...copies(all, [0]), ...copies(half, [1])])], {
      seed: 2,
      bootstrap: 200,
    });
    const [full, partial] = doc.signals[0].per_iteration;
    expect(partial.bits_per_sample.prompts).toBe(15);
    expect(full.bits_per_sample.prompts).toBe(30);
    for (const it of [full, partial]) {
      const [lo, hi] = it.bits_per_sample.ci!;
      expect(lo).toBeLessThan(it.bits_per_sample.value!);
      expect(hi).toBeGreaterThan(it.bits_per_sample.value!);
    }
    const width = (e: { ci?: [number, number] }) => e.ci![1] - e.ci![0];
    // half the prompts: a wider interval (about sqrt 2 times)
    expect(width(partial.bits_per_sample) / width(full.bits_per_sample)).toBeGreaterThan(1.1);
  });

  it("gives the same bytes for the same seed and other intervals for another seed", async () => {
    const file = writeJsonl(copies(classVerdict(20, 6), [0, 1]));
    const a = await analyzeRecords([file], { seed: 1, bootstrap: 60 });
    const b = await analyzeRecords([file], { seed: 1, bootstrap: 60 });
    const c = await analyzeRecords([file], { seed: 2, bootstrap: 60 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.signals[0].overall.bits_per_sample.ci).not.toEqual(a.signals[0].overall.bits_per_sample.ci);
  });
});
