import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runOpenloop } from "../helpers/cli.js";

const catalog = (name: string) => `examples/pipelines/${name}.yaml`;
const cwd = new URL("../../", import.meta.url).pathname;

describe("openloop audit", () => {
  it("exits 0 for an open loop and explains it", () => {
    const result = runOpenloop(["audit", catalog("star")], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("verdict: OPEN (information-open)");
    expect(result.stdout).toContain("I(X; correct | Z_t) ≤ H(correct | Z_t) ≤ 7473 × 1 bit");
    expect(result.stderr).toBe("");
  });

  it("exits 1 for a closed loop", () => {
    const result = runOpenloop(["audit", catalog("self-rewarding")], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("verdict: CLOSED (information-closed)");
    expect(result.stdout).toContain("I(X; Z_{t+1}) ≤ I(X; Z_t) ≤ … ≤ I(X; Z_0)");
  });

  it("--json prints one document with verdict, one channel per signal, and findings", () => {
    const result = runOpenloop(["audit", catalog("grpo-math"), "--json"], { cwd });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      verdict: string;
      channels: { name: string; open: boolean; maxPerSample: number }[];
      findings: { id: string; severity: string; recommendation: string }[];
      unit: string;
    };
    expect(report.verdict).toBe("open");
    expect(report.unit).toBe("bits");
    expect(report.channels.map((c) => [c.name, c.open, c.maxPerSample])).toEqual([
      ["correct", true, 1],
      ["format", false, 1],
    ]);
    expect(report.findings.map((f) => f.id)).toContain("no-task-information");
    for (const finding of report.findings) expect(finding.recommendation.length).toBeGreaterThan(20);
  });

  it("--json exits 1 for a closed loop too", () => {
    const result = runOpenloop(["audit", catalog("ttrl"), "--json"], { cwd });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).verdict).toBe("closed");
  });

  it("--format md prints Markdown; --unit nats converts capacities", () => {
    const md = runOpenloop(["audit", catalog("rlaif-fixed-judge"), "--format", "md", "--unit", "nats"], {
      cwd,
    });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Audit: rlaif-fixed-judge/);
    expect(md.stdout).toContain("2.303 nats");
  });

  it("--format dot prints the graph for Graphviz", () => {
    const result = runOpenloop(["audit", catalog("spin"), "--format", "dot"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digraph "spin" \{/);
    expect(result.stdout).toContain('"S[sft_reference]" -> "D_t" [color=red, penwidth=2];');
  });

  it.each([
    [
      ["audit", "examples/pipelines/star.yaml", "--json", "--format", "md"],
      /--json conflicts with --format md/,
    ],
    [["audit", "examples/pipelines/star.yaml", "--format", "html"], /--format expects one of text, md, json/],
    [["audit", "no/such/spec.yaml"], /no\/such\/spec\.yaml: cannot read spec/],
    [["audit", "examples"], /examples: cannot read spec: it is a directory/],
    [["audit"], /missing required argument/],
  ])("exits 2 on bad usage %j", (args, message) => {
    const result = runOpenloop(args, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("exits 2 on a bad spec, naming file, line and YAML path, without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "openloop-audit-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      [
        "version: 1",
        "name: bad",
        "iterations: 2",
        "task: {name: t}",
        "prompts: {source: fixed, origin: real}",
        "generator: {role: student}",
        "signals:",
        "  - name: a",
        "    kind: tests",
        "  - name: b",
        "    kind: llm-judge",
        "    model: teacher",
        "selection: {mode: filter}",
        "",
      ].join("\n"),
    );
    const result = runOpenloop(["audit", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `${file}:12 signals[1].model: expected 'fixed' | 'student' | 'trained-on-student', got 'teacher'`,
    );
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
