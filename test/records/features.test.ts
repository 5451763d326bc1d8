import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUILTIN_FEATURES,
  builtinFeatures,
  builtinFeatureValues,
  builtinFeatureValuesUtf8,
  builtinFeatureValuesUtf8Many,
  recordFeatures,
} from "../../src/records/features.js";

/** `builtinFeatureValues` of `response` as `builtinFeatureValuesUtf8Many` writes them: has_boxed and has_code_fence (left to the caller) untouched, here -1. */
function manyExpected(response: string): number[] {
  const expected = new Float64Array(BUILTIN_FEATURES.length);
  builtinFeatureValues(response, expected);
  return [...expected].map((value, k) => (k === 3 || k === 4 ? -1 : value));
}

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

/** A phrase of has_final_answer, or a near miss of it, in random letter case. */
const casedPhrase = fc
  .tuple(
    fc.constantFrom(
      "final answer",
      "the answer is",
      "inal answer",
      "the answer i",
      "he answer is",
      "final answe",
    ),
    fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }),
  )
  .map(([phrase, upper]) => [...phrase].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));

describe("built-in features of UTF-8 bytes", () => {
  const encoder = new TextEncoder();
  const pieces = [
    " ",
    "\t",
    "\n",
    "\r",
    "\u000b",
    "\u000c",
    "\u00a0",
    "\u2022",
    "\u2022 x",
    "- ",
    "* ",
    "+",
    "12",
    "1.",
    "3)",
    "\\boxed{",
    "\\boxed",
    "```",
    "``",
    "final answer",
    "FINAL ANSWER",
    "Final Answe",
    "the answer is",
    "The Answer Is",
    "\\box",
    "ed{",
    "fin",
    "al answer",
    "the ans",
    "wer is",
    "`",
    "final\u0000answer",
    "the answer\u00a0is",
    "\u00b5",
    "\u017f",
    "\u212a",
    "\u00e9",
    "\u{1f600}",
    "\ufeff",
    "x",
    "w",
    "W",
    "we",
    "\u0175",
    "\uff57",
    "final  answer",
    "the\tanswer is",
    "final\u00e0nswer",
  ];
  const text = fc.oneof(
    fc.string({ unit: "binary" }),
    fc
      .array(fc.oneof(fc.constantFrom(...pieces), casedPhrase, fc.string({ unit: "binary", maxLength: 3 })), {
        maxLength: 40,
        size: "max",
      })
      .map((p) => p.join("")),
  );

  it("equal the string features on every Unicode text, at any offset", () => {
    fc.assert(
      fc.property(
        text,
        fc.string({ maxLength: 4 }),
        fc.string({ maxLength: 4 }),
        (response, before, after) => {
          const head = encoder.encode(before);
          const body = encoder.encode(response);
          const bytes = Buffer.from([...head, ...body, ...encoder.encode(after)]);
          const expected = new Float64Array(BUILTIN_FEATURES.length);
          builtinFeatureValues(response, expected);
          const actual = new Float64Array(BUILTIN_FEATURES.length);
          builtinFeatureValuesUtf8(bytes, head.length, head.length + body.length, actual);
          expect([...actual]).toEqual([...expected]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("equal the string features of many texts laid end to end, searched at once", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.nat(4), fc.boolean()), { maxLength: 12 }), (parts) => {
        // texts with gaps between them (bytes of no text, some of which would begin a phrase or a bullet) and some texts left out
        const chunks: Uint8Array[] = [];
        const starts = new Float64Array(parts.length);
        const lengths = new Float64Array(parts.length);
        const rows: number[] = [];
        let at = 0;
        parts.forEach(([response, gap, included], r) => {
          const filler = encoder.encode(["", "f", "t", "\n-", "t\nf-t\nf-"][gap]);
          const body = encoder.encode(response);
          chunks.push(filler, body);
          starts[r] = at + filler.length;
          lengths[r] = body.length;
          at += filler.length + body.length;
          if (included) rows.push(r);
        });
        const bytes = Buffer.concat(chunks);
        const out = BUILTIN_FEATURES.map(() => new Float64Array(parts.length).fill(-1));
        builtinFeatureValuesUtf8Many(bytes, Int32Array.from(rows), rows.length, starts, lengths, out);
        parts.forEach(([response], r) => {
          const actual = out.map((column) => column[r]);
          expect(actual).toEqual(rows.includes(r) ? manyExpected(response) : BUILTIN_FEATURES.map(() => -1));
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("equal the string features of ASCII texts laid end to end, at any alignment (property)", () => {
    const ascii = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            " ",
            "\t",
            "\n",
            "\v",
            "\f",
            "\r",
            "  ",
            "\n\n",
            "- x",
            "1. y",
            "```",
            "The answer is",
            "w",
            "W",
            "\n  * ",
          ),
          casedPhrase,
          fc.string({ maxLength: 9 }),
        ),
        { maxLength: 30 },
      )
      .map((p) => p.join(""));
    fc.assert(
      fc.property(
        fc.nat(7),
        fc.array(fc.tuple(ascii, fc.nat(5)), { minLength: 1, maxLength: 10 }),
        (lead, parts) => {
          const chunks: Uint8Array[] = [encoder.encode("x".repeat(lead))];
          const starts = new Float64Array(parts.length);
          const lengths = new Float64Array(parts.length);
          let at = lead;
          parts.forEach(([response, gap], r) => {
            const filler = encoder.encode("a b\n".slice(0, gap));
            const body = encoder.encode(response);
            chunks.push(filler, body);
            starts[r] = at + filler.length;
            lengths[r] = body.length;
            at += filler.length + body.length;
          });
          const bytes = Buffer.concat(chunks).subarray(lead % 4);
          for (let r = 0; r < parts.length; r++) starts[r] -= lead % 4;
          const out = BUILTIN_FEATURES.map(() => new Float64Array(parts.length).fill(-1));
          const rows = Int32Array.from(parts, (_, r) => r);
          builtinFeatureValuesUtf8Many(bytes, rows, rows.length, starts, lengths, out);
          parts.forEach(([response], r) => {
            expect(out.map((column) => column[r])).toEqual(manyExpected(response));
          });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it.each([
    [["fin", "al answer", "FINAL ANSWER"]],
    [["the", " answer is", "x"]],
    [["line\n- ", "x\n\u2022", " y"]],
    [["f", "inal answer", "final answe", "r"]],
    [["T", "he answer is", "the answer i", "S"]],
  ])("count no marker that crosses from one text into the next: %j", (texts) => {
    const bodies = texts.map((t) => encoder.encode(t));
    const starts = new Float64Array(texts.length);
    const lengths = Float64Array.from(bodies, (b) => b.length);
    for (let r = 1; r < texts.length; r++) starts[r] = starts[r - 1] + lengths[r - 1];
    const out = BUILTIN_FEATURES.map(() => new Float64Array(texts.length).fill(-1));
    const rows = Int32Array.from(texts, (_, r) => r);
    builtinFeatureValuesUtf8Many(Buffer.concat(bodies), rows, rows.length, starts, lengths, out);
    texts.forEach((t, r) => {
      expect(out.map((column) => column[r])).toEqual(manyExpected(t));
    });
  });

  it.each([
    ["caf\u00e9 \u{1f600}\u00a0x\n", [10, 3, 1, 0, 0, 0, 0]],
    ["\u2022 item\nThe FINAL answer is \\boxed{2}", [36, 7, 2, 1, 0, 1, 1]],
    ["\u017final answer ```", [16, 3, 1, 0, 1, 0, 0]],
  ])("of %j", (response, expected) => {
    const bytes = Buffer.from(response);
    const out = new Float64Array(BUILTIN_FEATURES.length);
    builtinFeatureValuesUtf8(bytes, 0, bytes.length, out);
    expect([...out]).toEqual(expected);
  });
});
