import { describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { createRng } from "../../src/info/index.js";
import { type Row, writeJsonl } from "./generate.js";

/**
 * No channel at all: inside class A (6 samples per prompt) the judge and the length are two
 * independent fair coins; class B always fails. Small strata often have I(S;F) = 0 exactly while
 * both vary, and such strata are part of the permutation null (a shuffle can make their I > 0).
 */
function noChannel(prompts: number, seed: number): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (let q = 0; q < prompts; q++) {
    for (let i = 0; i < 12; i++) {
      const cls = i < 6 ? "A" : "B";
      rows.push({
        prompt_id: `q${q}`,
        class: cls,
        features: { length: rng.next() < 0.5 ? 48 : 12 },
        signals: { judge: cls === "A" && rng.next() < 0.5 },
      });
    }
  }
  return rows;
}

describe("hacking channels when the judge ignores the feature", () => {
  // Testing only strata with observed I > 0 (as before) gave p = 0.002-0.004 and a flag on each
  // of these logs: the selection on the observed statistic biased the test.
  it.each([1, 2, 3, 4])("does not flag, and null_bits ~ bits (data seed %i)", async (seed) => {
    const doc = await analyzeRecords([writeJsonl(noChannel(600, seed))], {
      seed,
      bootstrap: 0,
      permutations: 199,
    });
    const [length] = doc.signals[0].hacking_channels;
    expect(length.feature).toBe("length");
    expect(length.flagged).toBe(false);
    expect(length.p_value).toBeGreaterThan(0.1);
    // the observed bits are plug-in bias only, which the permutation null measures on the same base
    expect(Math.abs(length.bits.value! - length.null_bits)).toBeLessThan(0.006);
  });
});
