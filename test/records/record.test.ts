import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { loadRolloutRecordSchema, parseRolloutRecord, toRolloutRecord } from "../../src/records/index.js";

const where = { file: "log.csv", line: 7 };

describe("toRolloutRecord", () => {
  it.each([
    [
      { prompt_id: "q1", signals: { pass: true } },
      { iteration: 0, prompt_id: "q1", signals: { pass: true } },
    ],
    [
      { prompt_id: 3, iteration: "2", "signals.reward": "0.5", "features.src": "gpt", gold: "1", class: 42 },
      {
        iteration: 2,
        prompt_id: "3",
        signals: { reward: 0.5 },
        features: { src: "gpt" },
        gold: true,
        class: "42",
      },
    ],
    [
      { prompt: [{ role: "user", content: "hi" }], response: "x", signals: { s: "A" }, accepted: "false" },
      { iteration: 0, prompt_id: "hi", prompt: "hi", response: "x", signals: { s: "A" }, accepted: false },
    ],
    [
      { prompt_id: "q", signals: '{"pass": true, "score": 0.5}' },
      { iteration: 0, prompt_id: "q", signals: { pass: true, score: 0.5 } },
    ],
    [
      { prompt_id: "q", iteration: 1, signals: {}, accepted: false, error: "HTTP 500 after 6 attempts" },
      { iteration: 1, prompt_id: "q", signals: {}, accepted: false, error: "HTTP 500 after 6 attempts" },
    ],
    [
      { prompt_id: "q", "signals.pass": "", error: "timeout" },
      { iteration: 0, prompt_id: "q", signals: {}, error: "timeout" },
    ],
  ])("normalises %j", (row, expected) => {
    expect(toRolloutRecord(row as Record<string, unknown>, where)).toEqual(expected);
  });

  it.each([
    [{ signals: { s: 1 } }, /missing 'prompt_id'/],
    [{ prompt_id: "q" }, /no signal/],
    [{ prompt_id: "q", error: "" }, /no signal/],
    [{ prompt_id: "q", signals: { s: 1 }, iteration: -1 }, /'iteration' must be a whole number/],
    [{ prompt_id: "q", signals: { s: 1 }, gold: "maybe" }, /'gold' must be a boolean/],
    [{ prompt_id: "q", signals: [1, 2] }, /'signals' must be an object/],
    [{ prompt_id: "q", signals: "{pass: yes}" }, /'signals' holds text that is not a JSON object/],
  ])("rejects %j with a located input error", (row, message) => {
    try {
      toRolloutRecord(row as Record<string, unknown>, where);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OpenloopError);
      expect((error as OpenloopError).code).toBe("input");
      expect((error as OpenloopError).message).toMatch(message);
      expect((error as OpenloopError).where).toMatchObject(where);
    }
  });
});

describe("parseRolloutRecord (the zod schema)", () => {
  it("defaults the iteration and rejects unknown fields", async () => {
    expect((await parseRolloutRecord({ prompt_id: "a", signals: { x: 1 } })).iteration).toBe(0);
    await expect(parseRolloutRecord({ prompt_id: "a", signals: { x: 1 }, extra: 1 })).rejects.toThrow(
      /invalid rollout record/,
    );
    await expect(parseRolloutRecord({ prompt_id: "a", signals: {} })).rejects.toThrow(/at least one signal/);
  });

  it("accepts a record with an error and no signal (a failed generation)", async () => {
    expect(await parseRolloutRecord({ prompt_id: "a", signals: {}, error: "HTTP 400" })).toEqual({
      iteration: 0,
      prompt_id: "a",
      signals: {},
      error: "HTTP 400",
    });
    await expect(parseRolloutRecord({ prompt_id: "a", signals: {}, error: 3 })).rejects.toThrow(/at 'error'/);
  });

  it("is the schema loadRolloutRecordSchema gives", async () => {
    const schema = await loadRolloutRecordSchema();
    expect(schema.safeParse({ prompt_id: "a", signals: { x: true }, gold: true }).success).toBe(true);
    expect(schema.safeParse({ prompt_id: "", signals: { x: true } }).success).toBe(false);
    expect(schema.safeParse({ prompt_id: "a", iteration: -1, signals: { x: 1 } }).success).toBe(false);
  });
});
