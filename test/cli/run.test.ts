import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { binaryEntropy } from "../../src/info/index.js";
import { CLI, runOpenloop } from "../helpers/cli.js";
import { startFaultServer } from "../helpers/fault-server.js";
import { builtinSpec, endpointSpec, tempDir, writeSpec } from "../run/runner/specs.js";

interface Row {
  iteration: number;
  prompt_id: string;
  response?: string;
  signals: Record<string, boolean>;
  accepted: boolean;
  gold?: boolean;
  class?: string;
}

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

describe("openloop run on the built-in model", () => {
  const dir = tempDir();
  const spec = writeSpec(dir, builtinSpec({ iterations: 3, prompts: 24, n: 8 }));
  let result: ReturnType<typeof runOpenloop>;
  beforeAll(() => {
    result = runOpenloop(["run", spec, "--out", join(dir, "out"), "--json"]);
  });

  it("exits 0 with one JSON summary on stdout and the audit verdict on stderr", () => {
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.status).toBe("completed");
    expect(summary.verdict).toBe("open");
    expect(summary.new_samples).toBe(3 * 24 * 8);
    expect(result.stderr).toContain("verdict: OPEN");
  });

  it("records every candidate: iterations x prompts x n, each with its signal and ground truth", () => {
    const records = lines(join(dir, "out", "records.jsonl")) as Row[];
    expect(records).toHaveLength(3 * 24 * 8);
    for (const r of records) {
      expect(typeof r.signals.correct).toBe("boolean");
      expect(r.gold).toBe(r.signals.correct);
      expect(r.accepted).toBe(r.signals.correct);
    }
  });

  it("ledger bits equal the closed form sum_q h(p_q) from the records' pass rates; accept rate and dataset agree", () => {
    const records = lines(join(dir, "out", "records.jsonl")) as Row[];
    const ledger = JSON.parse(readFileSync(join(dir, "out", "ledger.json"), "utf8"));
    const dataset = lines(join(dir, "out", "dataset.jsonl"));
    expect(ledger.iterations).toHaveLength(3);
    for (const it of ledger.iterations) {
      const rows = records.filter((r) => r.iteration === it.iteration);
      const byPrompt = new Map<string, boolean[]>();
      for (const r of rows)
        byPrompt.set(r.prompt_id, [...(byPrompt.get(r.prompt_id) ?? []), r.signals.correct]);
      const entropies = [...byPrompt.values()].map((v) => binaryEntropy(v.filter(Boolean).length / v.length));
      const bits = entropies.reduce((a, b) => a + b, 0);
      expect(it.signals.correct.bits).toBeCloseTo(bits, 10);
      expect(it.signals.correct.bits_per_sample).toBeCloseTo(bits / byPrompt.size, 10);
      expect(it.signals.correct.zero_info_prompts).toBe(entropies.filter((h) => h === 0).length);
      const accepted = rows.filter((r) => r.accepted).length;
      expect(it.accepted).toBe(accepted);
      expect(it.accept_rate).toBeCloseTo(accepted / rows.length, 12);
      expect(it.held_out_accuracy).toBeGreaterThanOrEqual(0);
      expect(it.trained_on).toBe(accepted);
    }
    expect(dataset).toHaveLength(records.filter((r) => r.accepted).length);
    const accepted = records.filter((r) => r.accepted);
    expect(dataset[0].messages[1]).toEqual({ role: "assistant", content: accepted[0].response });
    expect(dataset[0].messages[0].role).toBe("user");
  });

  it("same seed, other concurrency: byte-identical outputs", () => {
    const out = join(dir, "out-c1");
    const again = runOpenloop(["run", spec, "--out", out, "--concurrency", "1"]);
    expect(again.code, again.stderr).toBe(0);
    for (const file of ["records.jsonl", "dataset.jsonl", "ledger.json", "audit.json"])
      expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(dir, "out", file), "utf8"));
  });

  it("refuses to start a second run over an existing one (exit 2, points at --resume)", () => {
    const again = runOpenloop(["run", spec, "--out", join(dir, "out")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--resume");
  });

  it("pairs selection writes chosen/rejected pairs from one prompt's candidates", () => {
    const pairsSpec = writeSpec(
      dir,
      builtinSpec({ iterations: 1, prompts: 12, n: 8, mode: "pairs" }),
      "pairs.yaml",
    );
    const out = join(dir, "out-pairs");
    const r = runOpenloop(["run", pairsSpec, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const records = lines(join(out, "records.jsonl")) as Row[];
    const pairs = lines(join(out, "pairs.jsonl"));
    let expected = 0;
    const prompts = new Set(records.map((r) => r.prompt_id));
    for (const id of prompts) {
      const rows = records.filter((r) => r.prompt_id === id);
      const good = rows.filter((r) => r.signals.correct).length;
      expected += Math.min(good, rows.length - good);
    }
    expect(pairs).toHaveLength(expected);
    for (const p of pairs) {
      const chosen = records.find((r) => r.prompt_id === p.prompt_id && r.response === p.chosen[0].content);
      const rejected = records.find(
        (r) => r.prompt_id === p.prompt_id && r.response === p.rejected[0].content,
      );
      expect(chosen?.signals.correct).toBe(true);
      expect(rejected?.signals.correct).toBe(false);
    }
  });
});

describe("openloop run refuses bad input with exit 2 and a clear message", () => {
  const dir = tempDir();

  it("a bad spec names the file, line and field", () => {
    const spec = writeSpec(dir, builtinSpec().replace("iterations: 3", "iterations: zero"), "bad.yaml");
    const r = runOpenloop(["run", spec, "--out", join(dir, "bad")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4 iterations: expected a number/);
  });

  it("a missing API key variable is named", () => {
    const spec = writeSpec(
      dir,
      endpointSpec(dir, "http://127.0.0.1:9/v1", { apiKeyEnv: "OPENLOOP_TEST_MISSING_KEY" }),
      "key.yaml",
    );
    const r = runOpenloop(["run", spec, "--out", join(dir, "key")], {
      env: { OPENLOOP_TEST_MISSING_KEY: "" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("OPENLOOP_TEST_MISSING_KEY");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unreachable endpoint is reported before anything runs", () => {
    const spec = writeSpec(dir, endpointSpec(dir, "http://127.0.0.1:9/v1"), "down.yaml");
    const r = runOpenloop(["run", spec, "--out", join(dir, "down")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the endpoint http:\/\/127\.0\.0\.1:9\/v1/);
  });

  it("an unreachable judge endpoint is named by its signal", () => {
    const text = `${builtinSpec()}`.replace(
      "selection:",
      `  - name: judged
    kind: rubric-judge
    verifier: { type: judge, base_url: "http://127.0.0.1:9/v1", model: judge-model, rubric: "is it right?" }
selection:`,
    );
    const r = runOpenloop(["run", writeSpec(dir, text, "judge.yaml"), "--out", join(dir, "judge")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("signals[1].verifier.base_url");
    expect(r.stderr).toContain("cannot reach the endpoint http://127.0.0.1:9/v1");
  });

  it("a signal without a verifier is named", () => {
    const text = builtinSpec().replace("    verifier: { type: math, extract: last-number }\n", "");
    const r = runOpenloop(["run", writeSpec(dir, text, "nover.yaml"), "--out", join(dir, "nover")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("signal 'correct' has no verifier");
  });

  it("--resume with nothing to resume", () => {
    const spec = writeSpec(dir, builtinSpec(), "ok.yaml");
    const r = runOpenloop(["run", spec, "--out", join(dir, "nothing"), "--resume"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nothing to resume");
  });
});

/** Runs the binary without blocking the event loop (the fault server lives in this process). */
function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("openloop run against a faulty endpoint, through the binary", () => {
  it("retries 503 and 429 with Retry-After, a drop, malformed JSON, a short answer; records every candidate; exit 0", async () => {
    const server = await startFaultServer([
      { kind: "status", status: 503, retryAfter: "0" },
      { kind: "drop" },
      { kind: "malformed" },
      { kind: "status", status: 429, retryAfter: "0" },
      { kind: "fewer", choices: 1 },
    ]);
    try {
      const dir = tempDir();
      const spec = writeSpec(dir, endpointSpec(dir, server.baseUrl, { prompts: "10", n: "4" }));
      const r = await runAsync(["run", spec, "--out", join(dir, "out"), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.ledger.totals).toMatchObject({ samples: 40, errors: 0 });
      const records = lines(join(dir, "out", "records.jsonl"));
      expect(records).toHaveLength(40);
      const accepted = records.filter((x) => x.accepted).length;
      expect(accepted).toBe(records.filter((x) => /\.[02]$/.test(x.response)).length);
      expect(lines(join(dir, "out", "dataset.jsonl"))).toHaveLength(accepted);
    } finally {
      await server.close();
    }
  });
});
