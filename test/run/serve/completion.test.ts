import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { render } from "../../../src/lab/index.js";
import { createBuiltinStudent, decodeResponse } from "../../../src/run/builtin/index.js";
import { completeChat, parseCompletionRequest } from "../../../src/run/serve/index.js";

const student = createBuiltinStudent({ task: "weighted", seed: 2, forms: 5, pads: 6 });
const context = {
  student,
  model: "openloop-builtin-weighted",
  temperature: 1,
  nextSeed: () => 0,
  nextId: () => "chatcmpl-test",
  now: () => 0,
};
const space = { classes: 16, forms: 5, pads: 6 };

describe("completeChat", () => {
  it("answers exactly n decodable choices whose tokens add up to usage, for any request", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1023 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        (code, n, seed, temperature, maxTokens) => {
          const bits = code.toString(2).padStart(10, "0");
          const raw = JSON.stringify({
            model: "openloop-builtin-weighted",
            messages: [{ role: "user", content: `Score ${bits} with weights 1212121212.` }],
            n,
            seed,
            temperature,
            max_tokens: maxTokens,
          });
          const response = completeChat(parseCompletionRequest(raw), context);
          expect(response.choices.map((c) => c.index)).toEqual([...Array(n).keys()]);
          let tokens = 0;
          for (const choice of response.choices) {
            const decoded = decodeResponse(choice.message.content, space);
            expect(decoded).not.toBeNull();
            tokens += 1 + (decoded?.pad ?? 0);
            if (maxTokens !== undefined) expect(1 + (decoded?.pad ?? 0)).toBeLessThanOrEqual(maxTokens);
          }
          expect(response.usage.completion_tokens).toBe(tokens);
          expect(response.usage.prompt_tokens).toBe(5);
          expect(completeChat(parseCompletionRequest(raw), context).choices).toEqual(response.choices);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("decodeResponse", () => {
  it("reads back every response the student can write (all 16 forms)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 31 }),
        (value, form, pad) => {
          expect(decodeResponse(render(value, form, pad), { classes: 100, forms: 16, pads: 32 })).toEqual({
            value,
            form,
            pad,
          });
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});
