import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeRecords, decorrelate } from "../../src/analyze/index.js";
import { lengthJudge, writeJsonl } from "./generate.js";

describe("decorrelate", () => {
  it("removes the length channel of a length-rewarding judge (weighted bits ~ 0)", async () => {
    const file = writeJsonl(lengthJudge(40, 30));
    const out = join(file, "..", "weighted.jsonl");
    const result = await decorrelate([file], { feature: "length_tokens", signal: "judge", out });
    expect(result.bits_before).toBeGreaterThan(0.05);
    expect(result.bits_after).toBeLessThan(0.02 * result.bits_before);
    expect(result.records).toBe(1200);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1200);
    expect(rows.every((r) => typeof r.weight === "number" && r.weight >= 0)).toBe(true);
    expect(rows.filter((r) => r.weight === 0)).toHaveLength(result.zero_weight);
    expect(result.zero_weight).toBeLessThan(0.5 * result.records);
    // each stratum keeps its total weight: the weights sum to the number of records
    const total = rows.reduce((s, r) => s + r.weight, 0);
    expect(total).toBeCloseTo(1200, 0);
    // the analysis of the original still flags the channel
    const doc = await analyzeRecords([file], { bootstrap: 0, permutations: 199 });
    expect(doc.signals[0].hacking_channels.find((c) => c.feature === "length_tokens")!.flagged).toBe(true);
  });

  it("rejects an unknown signal or feature with a usage error", async () => {
    const file = writeJsonl(lengthJudge(2, 5));
    await expect(
      decorrelate([file], { feature: "length_tokens", signal: "nope", out: `${file}.w.jsonl` }),
    ).rejects.toThrow(/no signal 'nope'/);
    await expect(
      decorrelate([file], { feature: "nope", signal: "judge", out: `${file}.w.jsonl` }),
    ).rejects.toThrow(/no feature 'nope'/);
  });
});
