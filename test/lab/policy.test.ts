import { describe, expect, it } from "vitest";
import { createRng } from "../../src/info/rng.js";
import { Policy } from "../../src/lab/policy.js";
import { splitPrompts, taskFamily } from "../../src/lab/tasks.js";

function student(task: ReturnType<typeof taskFamily>, forms: number, seed: number) {
  const rng = createRng(seed);
  return {
    rng,
    policy: new Policy(
      { featureDim: task.featureDim, hidden: 16, classes: task.classes, forms, pads: 4, lr: 0.03 },
      rng,
    ),
  };
}

describe("the lab's student", () => {
  it("SFT on references reaches high held-out accuracy on an easy task (max of three digits)", () => {
    const task = taskFamily("max");
    const split = splitPrompts(task, 200, createRng(5));
    const { rng, policy } = student(task, 4, 11);
    const before = policy.evaluate(split.heldOut).accuracy;
    for (let step = 0; step < 80; step++) {
      const batch = Array.from({ length: 64 }, () => split.train[rng.int(split.train.length)]);
      policy.step(
        batch.map((p) => ({ prompt: p, token: policy.token(p.gold, rng.int(4)), pad: 0, weight: 1 })),
      );
    }
    const after = policy.evaluate(split.heldOut);
    expect(before).toBeLessThan(0.4);
    expect(after.accuracy).toBeGreaterThan(0.85);
    // trained on uniformly random forms and no padding: it learns both surfaces
    expect(after.form_entropy).toBeGreaterThan(1.8);
    expect(after.form_entropy).toBeLessThanOrEqual(2 + 1e-9);
    expect(after.mean_pad).toBeLessThan(0.3);
  });

  it("starts near uniform: class entropy near log2 K, form entropy near log2 M", () => {
    const task = taskFamily("count");
    const { policy } = student(task, 8, 2);
    const e = policy.evaluate(task.prompts.slice(0, 50));
    expect(e.class_entropy).toBeGreaterThan(Math.log2(11) - 0.2);
    expect(e.form_entropy).toBeGreaterThan(3 - 0.05);
    expect(e.response_entropy).toBeCloseTo(e.class_entropy + e.form_entropy + 2, 0);
    expect(e.tail_mass).toBeGreaterThan(0.8);
  });

  it("class probabilities are distributions, and evaluation agrees with them", () => {
    const task = taskFamily("weighted");
    const { policy } = student(task, 2, 3);
    const prompts = task.prompts.slice(0, 20);
    const probs = policy.classProbabilities(prompts);
    for (const row of probs) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const expected = prompts.reduce((a, p, i) => a + probs[i][p.gold], 0) / prompts.length;
    expect(policy.evaluate(prompts).expected_accuracy).toBeCloseTo(expected, 12);
  });

  it("samples deterministically from a seed, and a low temperature concentrates the samples", () => {
    const task = taskFamily("count");
    const { policy } = student(task, 4, 4);
    const prompt = task.prompts[100];
    const a = policy.sample([prompt], 20, 1, createRng(9)).map((s) => s.response);
    const b = policy.sample([prompt], 20, 1, createRng(9)).map((s) => s.response);
    expect(a).toEqual(b);
    const rng = createRng(1);
    for (let i = 0; i < 30; i++) policy.step([{ prompt, token: policy.token(3, 0), pad: 1, weight: 1 }]);
    const cold = policy.sample([prompt], 200, 0.1, rng);
    const hot = policy.sample([prompt], 200, 3, rng);
    const share = (xs: typeof cold) => xs.filter((s) => s.response === "3 _").length / xs.length;
    expect(share(cold)).toBeGreaterThan(0.95);
    expect(share(hot)).toBeLessThan(share(cold));
  });

  it("a policy-gradient step with a negative weight lowers the probability of the sample", () => {
    const task = taskFamily("count");
    const { policy } = student(task, 1, 6);
    const prompt = task.prompts[7];
    const before = policy.classProbabilities([prompt])[0][2];
    policy.step([{ prompt, token: policy.token(2, 0), pad: 0, weight: -1 }]);
    expect(policy.classProbabilities([prompt])[0][2]).toBeLessThan(before);
  });

  it("a snapshot is an independent copy", () => {
    const task = taskFamily("count");
    const { policy } = student(task, 2, 8);
    const copy = policy.snapshot(createRng(0));
    const prompt = task.prompts[3];
    expect(copy.classProbabilities([prompt])[0]).toEqual(policy.classProbabilities([prompt])[0]);
    policy.step([{ prompt, token: 1, pad: 0, weight: 1 }]);
    expect(copy.classProbabilities([prompt])[0]).not.toEqual(policy.classProbabilities([prompt])[0]);
  });
});
