/**
 * `openloop run` then `openloop analyze` on its records, through the binary: candidates whose
 * generation failed are written with an `error` and no signals, and analyze counts them (overall
 * and per iteration) and leaves them out of every metric.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, runOpenloop } from "../helpers/cli.js";
import { startFaultServer } from "../helpers/fault-server.js";
import { endpointSpec, tempDir, writeSpec } from "../run/runner/specs.js";

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

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

describe("openloop analyze on the records of a run with failed generations", () => {
  const dir = tempDir();
  const records = join(dir, "out", "records.jsonl");
  let written: Record<string, unknown>[];
  beforeAll(async () => {
    // 2 iterations x 6 prompts x 4 samples; one request per iteration answers HTTP 400 (not
    // retried), so its 4 candidates become error records
    const server = await startFaultServer([
      { kind: "status", status: 400 },
      ...Array.from({ length: 5 }, () => ({ kind: "ok" }) as const),
      { kind: "status", status: 400 },
    ]);
    try {
      const spec = writeSpec(dir, endpointSpec(dir, server.baseUrl, { iterations: "2" }));
      const r = await runAsync(["run", spec, "--out", join(dir, "out"), "--concurrency", "1", "--no-cache"]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await server.close();
    }
    written = lines(records);
  }, 60_000);

  it("the run wrote error records with no signal", () => {
    expect(written).toHaveLength(48);
    const errors = written.filter((r) => r.error !== undefined);
    expect(errors.map((r) => r.iteration)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    // one worker: the first request of each iteration is q0's
    expect(new Set(errors.map((r) => r.prompt_id))).toEqual(new Set(["q0"]));
    for (const r of errors) expect(r.signals).toEqual({});
  });

  it("analyze exits 0, counts them, and computes bits from the good records only", () => {
    const r = runOpenloop(["analyze", records, "--json", "--bootstrap", "0", "--permutations", "19"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("left out 8 error record(s)");
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs).toMatchObject({ records: 40, error_records: 8, skipped: 0, iterations: [0, 1] });
    expect(doc.inputs.per_iteration).toEqual([
      { iteration: 0, records: 20, error_records: 4 },
      { iteration: 1, records: 20, error_records: 4 },
    ]);
    // every good prompt has 4 answers "answer SEED.i" and ends_zero passes i = 0 and 2: pass rate
    // 1/2 on every prompt, so I(Y;S|Q) = h(1/2) = 1 bit per sample, on the 40 good records
    const [signal] = doc.signals;
    expect(signal.name).toBe("ends_zero");
    expect(signal.overall.bits_per_sample.value).toBeCloseTo(1, 12);
    expect(signal.overall.bits_per_sample.n).toBe(40);
    expect(signal.overall.bits_per_sample.prompts).toBe(5); // q0 failed in both iterations
    for (const it of signal.per_iteration) expect(it.bits_per_sample.n).toBe(20);

    // the same analysis of the file without the error records gives the same metrics
    const good = join(dir, "good.jsonl");
    writeFileSync(
      good,
      written
        .filter((x) => x.error === undefined)
        .map((x) => `${JSON.stringify(x)}\n`)
        .join(""),
    );
    const g = runOpenloop(["analyze", good, "--json", "--bootstrap", "0", "--permutations", "19"]);
    expect(g.code, g.stderr).toBe(0);
    const goodDoc = JSON.parse(g.stdout);
    expect(goodDoc.inputs.error_records).toBe(0);
    expect(doc.signals).toEqual(goodDoc.signals);
    expect(doc.diversity).toEqual(goodDoc.diversity);
  });

  it("the terminal summary shows the count", () => {
    const r = runOpenloop(["analyze", records, "--bootstrap", "0", "--permutations", "19"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("8 error records (failed generations) left out");
  });

  it("a file of error records only is an input error", () => {
    const only = join(dir, "errors.jsonl");
    writeFileSync(only, '{"prompt_id": "q0", "signals": {}, "error": "HTTP 400"}\n');
    const r = runOpenloop(["analyze", only, "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no record with signals: all 1 records are failed generations");
  });
});
