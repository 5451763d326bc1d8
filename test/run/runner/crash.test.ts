/**
 * Crash safety of `openloop run`, on the built binary (with real data mixed in): SIGKILL at random
 * moments followed by `--resume` gives byte-identical outputs to an uninterrupted run, with no
 * record lost or repeated; SIGINT stops cleanly with exit code 130 and a resume hint.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../../src/info/index.js";
import { CLI, runOpenloop } from "../../helpers/cli.js";
import { builtinSpec, tempDir, writeSpec } from "./specs.js";

const OUTPUTS = ["records.jsonl", "dataset.jsonl", "ledger.json", "audit.json"];

function start(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function journalUnits(out: string): string[] {
  return readFileSync(join(out, "journal.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "unit")
    .map((e) => `${e.iteration}:${e.index}`);
}

describe("crash safety", () => {
  const dir = tempDir();
  // real data whose size depends on earlier iterations' selections (fraction, fresh): the resumed
  // run must mix in the same real samples
  const spec = writeSpec(
    dir,
    builtinSpec({
      iterations: 4,
      prompts: 150,
      n: 8,
      realData: "{ mode: fraction, fraction: 0.2, fresh: true }",
    }),
  );
  const baseline = join(dir, "baseline");
  beforeAll(() => {
    const r = runOpenloop(["run", spec, "--out", baseline]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      JSON.parse(readFileSync(join(baseline, "ledger.json"), "utf8")).totals.real_samples,
    ).toBeGreaterThan(0);
  });

  it("SIGKILL at random moments, then --resume: outputs byte-identical to an uninterrupted run", async () => {
    const out = join(dir, "killed");
    const journal = join(out, "journal.jsonl");
    const full = statSync(join(baseline, "journal.jsonl")).size;
    // kill points as fractions of the finished journal, in order (each resumed run goes further),
    // the last one once the journal is complete: while the outputs are being written
    const rng = createRng(2026);
    const points = [0, ...Array.from({ length: 4 }, () => 0.05 + 0.85 * rng.next()).sort(), 1];
    let kills = 0;
    for (const point of points) {
      const begun = existsSync(journal);
      const { child, done } = start(["run", spec, "--out", out, ...(begun ? ["--resume"] : [])]);
      while (child.exitCode === null && !(existsSync(journal) && statSync(journal).size >= point * full))
        await sleep(2);
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        kills++;
      }
      const exit = await done;
      expect(exit.signal === "SIGKILL" || exit.code === 0, exit.stderr).toBe(true);
    }
    expect(kills).toBeGreaterThanOrEqual(4);
    const finish = runOpenloop(["run", spec, "--out", out, "--resume"]);
    expect(finish.code, finish.stderr).toBe(0);
    for (const file of OUTPUTS)
      expect(readFileSync(join(out, file), "utf8") === readFileSync(join(baseline, file), "utf8"), file).toBe(
        true,
      );
    const units = journalUnits(out);
    expect(new Set(units).size).toBe(units.length);
    expect(units).toHaveLength(4 * 150);
  });

  it("SIGINT finishes the prompts in flight, exits 130 with the resume command; --resume completes it", async () => {
    const out = join(dir, "interrupted");
    const { child, done } = start(["run", spec, "--out", out]);
    const journal = join(out, "journal.jsonl");
    while (child.exitCode === null && !(existsSync(journal) && statSync(journal).size > 2000))
      await sleep(20);
    child.kill("SIGINT");
    const exit = await done;
    expect(exit.code, exit.stderr).toBe(130);
    expect(exit.stderr).toContain(`resume with: openloop run ${spec} --out ${out} --resume`);
    const units = journalUnits(out);
    expect(units.length).toBeLessThan(4 * 150);
    const finish = runOpenloop(["run", spec, "--out", out, "--resume"]);
    expect(finish.code, finish.stderr).toBe(0);
    for (const file of OUTPUTS)
      expect(readFileSync(join(out, file), "utf8") === readFileSync(join(baseline, file), "utf8"), file).toBe(
        true,
      );
  });
});
