import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryEntropy } from "../../src/info/index.js";
import type { CandidateEntry, UnitEntry } from "../../src/run/index.js";
import { ledgerIteration, ledgerTotals, promptSignalEntropy } from "../../src/run/index.js";

function unit(id: string, values: (boolean | string | null)[]): UnitEntry {
  return {
    type: "unit",
    iteration: 0,
    index: 0,
    prompt_id: id,
    prompt: id,
    candidates: values.map(
      (v): CandidateEntry =>
        v === null
          ? { error: "timeout", signals: {}, pass: {} }
          : { response: "r", signals: { s: v }, pass: { s: v === true } },
    ),
  };
}

describe("the ledger", () => {
  it.each([
    [[true, true, true, true], 0],
    [[true, false, true, false], 1],
    [[true, false, false, false], binaryEntropy(0.25)],
    [[true, false, null, null], 1],
    [["a", "b", "c", "d"], 2],
    [["a", "a", "b", "c"], 1.5],
  ])("H(S|Q=q) of %j is %d bits", (values, bits) => {
    expect(promptSignalEntropy(unit("q", values), "s")).toBeCloseTo(bits, 12);
  });

  it("in nats on request", () => {
    expect(promptSignalEntropy(unit("q", [true, false]), "s", "nats")).toBeCloseTo(Math.LN2, 12);
  });

  it("bits = sum_q h(p_q), bits_per_sample = their mean, zero-info prompts listed; errors apart", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 20 }),
        (prompts) => {
          const units = prompts.map((values, q) => unit(`q${q}`, [...values, null]));
          const line = ledgerIteration(0, units, 3, ["s"], "bits");
          const h = prompts.map((v) => binaryEntropy(v.filter(Boolean).length / v.length));
          const bits = h.reduce((a, b) => a + b, 0);
          expect(line.signals.s.bits).toBeCloseTo(bits, 9);
          expect(line.signals.s.bits_per_sample).toBeCloseTo(bits / prompts.length, 9);
          expect(line.signals.s.zero_info_prompt_ids).toEqual(
            prompts.flatMap((_, q) => (h[q] === 0 ? [`q${q}`] : [])),
          );
          expect(line.samples).toBe(prompts.reduce((a, v) => a + v.length, 0));
          expect(line.errors).toBe(prompts.length);
          expect(line.accept_rate).toBeCloseTo(3 / line.samples, 12);
        },
      ),
      { seed: 11 },
    );
  });

  it("totals sum the iterations", () => {
    const a = ledgerIteration(0, [unit("a", [true, false])], 1, ["s"], "bits");
    const b = ledgerIteration(1, [unit("b", [true, true, false, false])], 2, ["s"], "bits", 5);
    expect(a.real_samples).toBe(0);
    expect(b.real_samples).toBe(5);
    expect(ledgerTotals([a, b], ["s"])).toEqual({
      prompts: 2,
      samples: 6,
      errors: 0,
      accepted: 3,
      accept_rate: 0.5,
      real_samples: 5,
      bits: { s: 2 },
    });
  });
});
