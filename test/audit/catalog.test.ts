import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { auditSpec } from "../../src/audit/index.js";
import { loadSpec } from "../../src/spec/index.js";

const dir = fileURLToPath(new URL("../../examples/pipelines/", import.meta.url));

/** Every catalog entry: expected verdict and the exact set of findings (id, or id(subject)). */
const expected: Record<string, { verdict: "open" | "closed"; findings: string[] }> = {
  "recursive-self-training": {
    verdict: "closed",
    findings: ["closed-loop", "real-data-replaced(real-data)"],
  },
  "recursive-self-training-keep-real": {
    verdict: "open",
    findings: ["open-loop", "bounded-reservoir(real-data)"],
  },
  "self-instruct": { verdict: "closed", findings: ["closed-loop", "no-task-information(heuristic_filter)"] },
  star: { verdict: "open", findings: ["open-loop", "bounded-reservoir(correct)", "fixed-prompt-set"] },
  "rest-em": { verdict: "open", findings: ["open-loop", "bounded-reservoir(correct)", "fixed-prompt-set"] },
  rft: { verdict: "open", findings: ["open-loop", "bounded-reservoir(correct)"] },
  "grpo-math": {
    verdict: "open",
    findings: ["open-loop", "bounded-reservoir(correct)", "no-task-information(format)"],
  },
  "code-rl-unit-tests": { verdict: "open", findings: ["open-loop", "bounded-reservoir(passes)"] },
  "self-rewarding": {
    verdict: "closed",
    findings: [
      "closed-loop",
      "drifting-signal(self_judge)",
      "surface-sensitive-reward(self_judge)",
      "real-data-replaced(real-data)",
    ],
  },
  spin: {
    verdict: "open",
    findings: [
      "open-loop",
      "bounded-reservoir(sft_reference)",
      "instance-level-sft(sft_reference)",
      "fixed-prompt-set",
    ],
  },
  ttrl: { verdict: "closed", findings: ["closed-loop", "drifting-signal(agrees_with_majority)"] },
  distillation: {
    verdict: "open",
    findings: ["open-loop", "bounded-reservoir(teacher)", "instance-level-sft(teacher)"],
  },
  "rlaif-fixed-judge": {
    verdict: "open",
    findings: ["open-loop", "bounded-reservoir(judge_score)", "surface-sensitive-reward(judge_score)"],
  },
  "rlhf-reward-model": {
    verdict: "open",
    findings: ["open-loop", "bounded-reservoir(rm_score)", "surface-sensitive-reward(rm_score)"],
  },
  "random-reward-rlvr": { verdict: "closed", findings: ["closed-loop", "no-task-information(coin)"] },
  "builtin-rft": { verdict: "open", findings: ["open-loop"] },
};

const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

describe("the catalog of published pipelines", () => {
  it("has an expectation for every spec and a spec for every expectation (at least 12 published)", () => {
    expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(Object.keys(expected).sort());
    expect(files.length).toBeGreaterThanOrEqual(13);
  });

  it.each(files)("%s: expected verdict and findings", (file) => {
    const spec = loadSpec(`${dir}${file}`);
    const want = expected[file.replace(/\.yaml$/, "")];
    const report = auditSpec(spec);
    expect(report.verdict).toBe(want.verdict);
    const got = report.findings.map((f) => (f.subject ? `${f.id}(${f.subject})` : f.id));
    expect(got.sort()).toEqual([...want.findings].sort());
    expect(report.channels.map((c) => c.name)).toEqual(spec.signals.map((s) => s.name));
    expect(report.citation.length).toBeGreaterThan(0);
    expect(report.trail === null).toBe(want.verdict === "closed");
  });

  it.each(files)("%s cites its paper in a comment", (file) => {
    const text = readFileSync(`${dir}${file}`, "utf8");
    expect(text).toMatch(/^# .*\n/);
    expect(text).toMatch(/(arXiv|Nature|doi|ICML|NeurIPS|ACL|EMNLP|TMLR)/);
    expect(text).toMatch(/# Expected: (OPEN|CLOSED)/);
    const verdict = /# Expected: (OPEN|CLOSED)/.exec(text)![1].toLowerCase();
    expect(verdict).toBe(expected[file.replace(/\.yaml$/, "")].verdict);
  });
});
