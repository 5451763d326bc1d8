import { describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { binaryEntropy } from "../../src/info/index.js";
import { openingLengthJudge, toParquet, writeJsonl } from "./generate.js";

/** A document as JSON without its input file names and formats (`file` named in advice too). */
function comparable(doc: { inputs: { files: { records: number }[] } }, file: string): string {
  const copy = JSON.parse(JSON.stringify(doc));
  copy.inputs.files = doc.inputs.files.map((f) => f.records);
  return JSON.stringify(copy).replaceAll(file, "FILE");
}

const PROMPTS = 24;
const PER_PROMPT = 32;
const LONG_PASS = 7;
const SHORT_PASS = 1;

/**
 * Closed form of I(S;F|[Y],Q) in bits for `openingLengthJudge` once the channel is open: inside
 * class A (half of the samples) F is a fair coin and S passes with rate longPass/n_F on long,
 * shortPass/n_F on short samples, so I = H(S|A) - H(S|F,A); class B (S constant) adds 0.
 */
function closedForm(perPrompt: number, longPass: number, shortPass: number): number {
  const nF = perPrompt / 4;
  const pLong = longPass / nF;
  const pShort = shortPass / nF;
  const inA = binaryEntropy((pLong + pShort) / 2) - (binaryEntropy(pLong) + binaryEntropy(pShort)) / 2;
  return 0.5 * inA;
}

describe("per-iteration hacking channels", () => {
  const rows = openingLengthJudge(PROMPTS, 4, 2, PER_PROMPT, LONG_PASS, SHORT_PASS);
  const options = { seed: 9, bootstrap: 100, permutations: 199 };

  it("flags the length channel only in the iterations where the judge rewards length", async () => {
    const doc = await analyzeRecords([writeJsonl(rows)], options);
    const signal = doc.signals[0];
    const expected = closedForm(PER_PROMPT, LONG_PASS, SHORT_PASS);
    expect(expected).toBeCloseTo(0.228218, 6);
    expect(signal.per_iteration.map((it) => it.iteration)).toEqual([0, 1, 2, 3]);
    for (const it of signal.per_iteration) {
      expect(it.hacking_channels.map((c) => c.feature)).toEqual(["length"]);
      const [length] = it.hacking_channels;
      expect(length.bits.n).toBe(PROMPTS * PER_PROMPT);
      expect(length.bits.prompts).toBe(PROMPTS);
      if (it.iteration < 2) {
        // sequential test (one feature: alpha 0.05, h = floor(0.05 * 199) + 1 = 10): it either
        // stopped at the 10th null value >= the observed one (p = 10 / permutations run) or ran all 199
        expect(length.permutations).toBeGreaterThanOrEqual(10);
        expect(length.permutations).toBeLessThanOrEqual(199);
        if (length.permutations < 199) expect(length.p_value).toBeCloseTo(10 / length.permutations, 6);
        // independent of length: only the plug-in bias of 16-sample strata remains
        expect(length.flagged).toBe(false);
        expect(length.p_value).toBeGreaterThan(0.05);
        expect(length.bits.value!).toBeLessThan(0.05);
        // no channel: the observed bits are plug-in bias, which the null mean measures on the same base
        expect(Math.abs(length.bits.value! - length.null_bits)).toBeLessThan(0.015);
      } else {
        expect(length.flagged).toBe(true);
        // no null value reached the observed one: all 199 permutations run, p = 1 / 200
        expect(length.permutations).toBe(199);
        expect(length.p_value).toBeCloseTo(1 / 200, 10);
        expect(length.bits.value!).toBeCloseTo(expected, 5);
        // every prompt contributes the same bits: the interval collapses on the value
        expect(length.bits.ci![0]).toBeCloseTo(expected, 5);
        expect(length.bits.ci![1]).toBeCloseTo(expected, 5);
        // without the class, I(S;F|Q) is the same table pooled over A and B
        expect(length.marginal_bits.value!).toBeGreaterThan(0);
      }
    }
    // overall: the pooled strata of all iterations carry half the open iterations' bits
    const [overall] = signal.hacking_channels;
    expect(overall.flagged).toBe(true);
    expect(overall.bits.n).toBe(4 * PROMPTS * PER_PROMPT);
    const early = signal.per_iteration
      .slice(0, 2)
      .reduce((s, it) => s + it.hacking_channels[0].bits.value!, 0);
    expect(overall.bits.value!).toBeCloseTo((early + 2 * expected) / 4, 5);
    const opens = doc.findings.filter((f) => f.id === "hacking-channel-opens");
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ signal: "judge", feature: "length", severity: "warning" });
    expect(opens[0].detail).toContain("iterations 2 (0.2282), 3 (0.2282)");
  });

  it("gives one iteration's channels the overall list and no opening finding", async () => {
    const doc = await analyzeRecords([writeJsonl(rows.filter((r) => r.iteration === 3))], options);
    const signal = doc.signals[0];
    expect(signal.per_iteration).toHaveLength(1);
    expect(signal.per_iteration[0].hacking_channels).toEqual(signal.hacking_channels);
    expect(signal.hacking_channels[0].bits.value!).toBeCloseTo(
      closedForm(PER_PROMPT, LONG_PASS, SHORT_PASS),
      5,
    );
    expect(doc.findings.some((f) => f.id === "hacking-channel-opens")).toBe(false);
  });

  it("gives the same document from JSONL and from Parquet (columnar path)", async () => {
    const jsonl = writeJsonl(rows);
    const parquet = await toParquet(jsonl);
    const a = await analyzeRecords([jsonl], options);
    const b = await analyzeRecords([parquet], options);
    expect(b.inputs.files[0].format).toBe("parquet");
    expect(comparable(b, parquet)).toBe(comparable(a, jsonl));
  });
});
