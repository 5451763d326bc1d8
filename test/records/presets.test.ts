import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findPreset, forEachRecord, parseClassFrom, type RolloutRecord } from "../../src/records/index.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

async function read(file: string, preset: string, classFrom?: string): Promise<RolloutRecord[]> {
  const out: RolloutRecord[] = [];
  await forEachRecord(
    [file],
    { preset: findPreset(preset), classFrom: classFrom ? parseClassFrom(classFrom) : undefined },
    ({ record }) => {
      out.push(record);
    },
  );
  return out;
}

describe("presets on real-shaped logs", () => {
  it("trl-grpo: step, prompt, completion, one signal per reward function, advantage left out", async () => {
    const records = await read(fixture("trl-grpo-completions.jsonl"), "trl-grpo", "response:boxed");
    expect(records).toHaveLength(24);
    const first = records[0];
    expect(first.iteration).toBe(10);
    expect(first.prompt_id).toBe(first.prompt);
    expect(first.response).toContain("\\boxed{");
    expect(Object.keys(first.signals).sort()).toEqual(["accuracy_reward", "format_reward"]);
    expect(first.class).toMatch(/^\d+$/);
    expect(new Set(records.map((r) => r.prompt_id)).size).toBe(3);
    expect(new Set(records.map((r) => r.iteration))).toEqual(new Set([10, 20]));
  });

  it("verl: input/output/score/step with reward extra info; pred becomes the class", async () => {
    const records = await read(fixture("verl-rollout-2.jsonl"), "verl");
    expect(records).toHaveLength(24);
    const first = records[0];
    expect(first).toMatchObject({ iteration: 1, class: "5" });
    expect(Object.keys(first.signals).sort()).toEqual(["acc", "score"]);
    expect(first.signals.score).toBe(1);
    expect(first.response).toContain("Answer:");
    expect(records.every((r) => r.class !== undefined)).toBe(true);
  });
});
