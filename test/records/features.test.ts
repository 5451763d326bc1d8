import { describe, expect, it } from "vitest";
import { builtinFeatures, recordFeatures } from "../../src/records/index.js";

describe("built-in features", () => {
  it("measures length, tokens and lines", () => {
    const f = builtinFeatures("two words\n  three more words\n");
    expect(f).toMatchObject({ length_chars: 29, length_tokens: 5, line_count: 2 });
    expect(builtinFeatures("")).toMatchObject({ length_chars: 0, length_tokens: 0, line_count: 0 });
  });

  it.each([
    ["The final answer is \\boxed{3}", { has_boxed: true, has_final_answer: true }],
    ["```python\nprint(1)\n```", { has_code_fence: true, has_bullets: false }],
    ["Steps:\n- first\n- second", { has_bullets: true }],
    ["1. one\n2) two", { has_bullets: true }],
    ["-5 is negative", { has_bullets: false }],
    ["plain text", { has_boxed: false, has_code_fence: false, has_bullets: false, has_final_answer: false }],
  ])("format markers of %j", (text, expected) => {
    expect(builtinFeatures(text)).toMatchObject(expected);
  });

  it("adds user features, which win over built-in ones", () => {
    const f = recordFeatures({
      iteration: 0,
      prompt_id: "q",
      response: "abc",
      signals: { s: 1 },
      features: { source: "teacher", length_chars: 99 },
    });
    expect(f).toMatchObject({ source: "teacher", length_chars: 99, length_tokens: 1 });
  });
});
