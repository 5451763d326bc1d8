import { describe, expect, it } from "vitest";
import { verifyLabAnswer } from "../../../src/lab/index.js";
import {
  type BuiltinStudent,
  createBuiltinStudent,
  decodeResponse,
  requestSeed,
  type TrainingExample,
} from "../../../src/run/builtin/index.js";

/** One RFT iteration: sample 8 per prompt, keep what the task verifier accepts, train on it. */
async function rftIteration(student: BuiltinStudent, iteration: number): Promise<number> {
  const examples = [];
  for (const p of student.prompts(200, iteration)) {
    const candidates = await student.generator.generate({
      promptId: p.promptId,
      messages: p.messages,
      n: 8,
      seed: 1000 + iteration,
    });
    for (const c of candidates) {
      if (c.text !== undefined && verifyLabAnswer(c.text, p.gold)) {
        examples.push({ promptId: p.promptId, response: c.text, weight: 1 });
      }
    }
  }
  student.train(examples);
  return examples.length;
}

describe("createBuiltinStudent", () => {
  it("draws the same bytes from the same seed and calls", async () => {
    const run = async () => {
      const s = createBuiltinStudent({ task: "max", seed: 3, forms: 4, pads: 3 });
      const p = s.prompts(5, 0)[2];
      const out = await s.generator.generate({ promptId: p.promptId, messages: p.messages, n: 16, seed: 9 });
      await rftIteration(s, 1);
      return JSON.stringify([out, s.evaluate()]);
    };
    expect(await run()).toBe(await run());
  });

  it("samples depend only on (request seed, prompt), not on call order", async () => {
    const s = createBuiltinStudent({ task: "count", seed: 1, temperature: 1.5 });
    const [a, b] = s.prompts(2, 0);
    const req = (p: typeof a, seed: number) => ({ promptId: p.promptId, messages: p.messages, n: 12, seed });
    const first = await s.generator.generate(req(a, 5));
    await s.generator.generate(req(b, 5));
    await s.generator.generate(req(a, 6));
    const concurrent = await Promise.all([s.generator.generate(req(b, 5)), s.generator.generate(req(a, 5))]);
    expect(concurrent[1]).toEqual(first);
    expect(await s.generator.generate(req(a, 6))).not.toEqual(first);
    expect(first).toHaveLength(12);
    expect(first.map((c) => c.index)).toEqual([...Array(12).keys()]);
    expect(requestSeed(5, a.promptId)).not.toBe(requestSeed(5, b.promptId));
  });

  it("maps the chat prompt back to the task prompt and fills every slot with an error otherwise", async () => {
    const s = createBuiltinStudent({ task: "add", seed: 2 });
    const ok = await s.generator.generate({
      promptId: "anything",
      messages: [
        { role: "system", content: "Answer with a number." },
        { role: "user", content: "  What is 3 + 4?\n" },
      ],
      n: 3,
      seed: 0,
    });
    expect(ok.every((c) => typeof c.text === "string" && /^\d+$/.test(c.text))).toBe(true);
    const bad = await s.generator.generate({
      promptId: "x",
      messages: [{ role: "user", content: "What is 3 + 40?" }],
      n: 2,
      seed: 0,
    });
    expect(bad).toHaveLength(2);
    expect(bad[1].error).toMatch(/unknown prompt for built-in task 'add'.*'What is 3 \+ 40\?'/);
  });

  it("gives consecutive fresh prompt slices per iteration and the same ones for iteration 0", () => {
    const s = createBuiltinStudent({ task: "add", seed: 4, heldOut: 56 });
    const ids = (it: number) => s.prompts(50, it).map((p) => p.promptId);
    expect(ids(0)).toEqual(ids(0));
    expect(new Set([...ids(0), ...ids(1), ...ids(2), ...ids(3)]).size).toBe(200);
    const p = s.prompts(1, 0)[0];
    const [, a, b] = p.promptId.split("-").map(Number);
    expect(p.gold).toBe(a + b);
    expect(p.messages).toEqual([{ role: "user", content: `What is ${a} + ${b}?` }]);
  });

  it("training on verifier-accepted samples raises held-out accuracy (RFT, task max, seed 7)", async () => {
    const s = createBuiltinStudent({ task: "max", seed: 7, forms: 2 });
    const before = s.evaluate();
    expect(before.prompts).toBe(200);
    for (let it = 1; it <= 3; it++) expect(await rftIteration(s, it)).toBeGreaterThan(0);
    const after = s.evaluate();
    expect(before.accuracy).toBeCloseTo(0.51, 2);
    expect(after.accuracy).toBeGreaterThan(before.accuracy + 0.25); // measured: 0.51 -> 0.87
    expect(after.expected_accuracy).toBeGreaterThan(before.expected_accuracy);
  });

  it("policy gradient with group-normalised verifier advantages raises held-out accuracy (RLVR, task max, seed 7)", async () => {
    const s = createBuiltinStudent({ task: "max", seed: 7 });
    const series = [s.evaluate().expected_accuracy];
    for (let it = 1; it <= 5; it++) {
      const examples: TrainingExample[] = [];
      for (const p of s.prompts(200, it)) {
        const group = await s.generator.generate({
          promptId: p.promptId,
          messages: p.messages,
          n: 8,
          seed: 2000 + it,
        });
        const rewards = group.map((c): number =>
          c.text !== undefined && verifyLabAnswer(c.text, p.gold) ? 1 : 0,
        );
        const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
        const sd = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / rewards.length);
        group.forEach((c, i) => {
          examples.push({
            promptId: p.promptId,
            response: c.text ?? "",
            weight: sd > 0 ? (rewards[i] - mean) / sd : 0,
          });
        });
      }
      const summary = s.train(examples);
      expect(summary).toMatchObject({ steps: 4, used: 1600, skipped: 0 }); // batches of 512
      series.push(s.evaluate().expected_accuracy);
    }
    expect(series[0]).toBeCloseTo(0.372, 2);
    expect(series[5]).toBeGreaterThan(series[0] + 0.15); // measured: 0.372, 0.435, 0.492, 0.535, 0.572, 0.561
  });

  it("takes a policy-gradient step with advantages: rewarded answers gain probability", () => {
    const s = createBuiltinStudent({ task: "count", seed: 5, warmup: 0 });
    const prompts = s.prompts(64, 0);
    const gold = prompts.map((p) => ({ promptId: p.promptId, response: String(p.gold), weight: 1 }));
    const wrong = prompts.map((p) => ({
      promptId: p.promptId,
      response: String((p.gold + 1) % 11),
      weight: -1,
    }));
    const before = s.evaluate().expected_accuracy;
    for (let i = 0; i < 5; i++) s.train([...gold, ...wrong]);
    expect(s.evaluate().expected_accuracy).toBeGreaterThan(before);
  });

  it("skips responses it cannot write and rejects unknown prompt ids", () => {
    const s = createBuiltinStudent({ task: "count", seed: 5 });
    const p = s.prompts(1, 0)[0];
    const summary = s.train([
      { promptId: p.promptId, response: "3", weight: 1 },
      { promptId: p.promptId, response: "3.0", weight: 1 },
      { promptId: p.promptId, response: "three", weight: 1 },
      { promptId: p.promptId, response: "12", weight: 1 },
    ]);
    expect(summary).toMatchObject({ steps: 1, used: 1, skipped: 3 });
    expect(() => s.train([{ promptId: "count-99999", response: "1", weight: 1 }])).toThrow(
      /unknown prompt id/,
    );
    expect(() => createBuiltinStudent({ task: "nope" as "add", seed: 1 })).toThrow(/unknown built-in task/);
  });
});

describe("decodeResponse", () => {
  it.each([
    ["12", { value: 12, form: 0, pad: 0 }],
    ["12.0 _ _", { value: 12, form: 1, pad: 2 }],
    ["twelve _", { value: 12, form: 2, pad: 1 }],
    ["= 3", { value: 3, form: 3, pad: 0 }],
    ["answer: 3", null],
    ["31", null],
    ["7 _ _ _ _", null],
    ["hello", null],
  ])("%j", (text, expected) => {
    expect(decodeResponse(text, { classes: 31, forms: 4, pads: 4 })).toEqual(expected);
  });
});
