/**
 * Real-data mixing in `runPipeline` (in-process, built-in `count` task and a loopback endpoint):
 * each `real_data` mode's exact real counts in dataset.jsonl and the ledger, gold references that
 * are correct answers, real rows read from a file, determinism and resume, and the built-in
 * student keeping its held-out accuracy when real data is accumulated.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Ledger, runPipeline } from "../../../src/run/index.js";
import { type FaultServer, startFaultServer } from "../../helpers/fault-server.js";
import { builtinSpec, endpointSpec, tempDir, writeSpec } from "./specs.js";

interface DatasetRow {
  messages: { role: string; content: string }[];
  source: "real" | "synthetic";
}

const lines = <T>(file: string): T[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as T);

/** The dataset rows of each iteration: the ledger says how many of each source it has, in order. */
function byIteration(rows: DatasetRow[], ledger: Ledger): { synthetic: DatasetRow[]; real: DatasetRow[] }[] {
  let at = 0;
  return ledger.iterations.map((it) => {
    const synthetic = rows.slice(at, at + it.accepted);
    const real = rows.slice(at + it.accepted, at + it.accepted + it.real_samples);
    at += it.accepted + it.real_samples;
    return { synthetic, real };
  });
}

/** The gold answer of a `count` prompt: how many 1s its bit string holds. */
function countGold(prompt: string): string {
  const bits = /How many 1s are in ([01]+)\?/.exec(prompt)?.[1] ?? "";
  return String([...bits].filter((b) => b === "1").length);
}

async function run(dir: string, name: string, realData: string, extra: { iterations?: number } = {}) {
  const spec = writeSpec(
    dir,
    builtinSpec({ iterations: extra.iterations ?? 3, prompts: 24, n: 4, realData }),
    `${name}.yaml`,
  );
  const out = join(dir, name);
  const result = await runPipeline({ specFile: spec, outDir: out, cache: false });
  expect(result.status).toBe("completed");
  const ledger = result.ledger as Ledger;
  const rows = lines<DatasetRow>(join(out, "dataset.jsonl"));
  return { spec, out, ledger, rows, parts: byIteration(rows, ledger) };
}

describe("real_data modes on the built-in task (gold references of training prompts)", () => {
  const dir = tempDir();

  it.each([
    ["none", "{ mode: none }", [0, 0, 0]],
    ["once", "{ mode: once, count: 10 }", [10, 0, 0]],
    ["once, fresh", "{ mode: once, fresh: true, count: 10 }", [10, 0, 0]],
    ["replace", "{ mode: replace, count: 10 }", [10, 10, 10]],
    ["replace, fresh", "{ mode: replace, fresh: true, count: 10 }", [10, 10, 10]],
    ["accumulate", "{ mode: accumulate, count: 10 }", [10, 10, 10]],
    ["accumulate, fresh", "{ mode: accumulate, fresh: true, count: 10 }", [10, 20, 30]],
  ])(
    "%s (real_data %s): real samples per iteration %j, beside the synthetic ones",
    async (name, realData, expected) => {
      const { ledger, rows, parts } = await run(dir, name.replace(/\W+/g, "-"), realData);
      expect(ledger.iterations.map((it) => it.real_samples)).toEqual(expected);
      expect(ledger.totals.real_samples).toBe(expected.reduce((a, b) => a + b, 0));
      expect(rows.filter((r) => r.source === "real")).toHaveLength(ledger.totals.real_samples);
      expect(rows.filter((r) => r.source === "synthetic")).toHaveLength(ledger.totals.accepted);
      for (const [i, it] of ledger.iterations.entries()) {
        expect(parts[i].synthetic.every((r) => r.source === "synthetic")).toBe(true);
        expect(parts[i].real.every((r) => r.source === "real")).toBe(true);
        // the student trains on the mixed set
        expect(it.trained_on).toBe(it.accepted + it.real_samples);
      }
      // every real sample is a correct answer in the canonical (plain number) form
      for (const r of rows.filter((row) => row.source === "real"))
        expect(r.messages[1].content).toBe(countGold(r.messages[0].content));
    },
  );

  it("fresh batches are new prompts; the same dataset otherwise; accumulate keeps the earlier ones", async () => {
    const prompts = (rows: DatasetRow[]) => rows.map((r) => r.messages[0].content);
    const same = (await run(dir, "same", "{ mode: replace, count: 10 }")).parts.map((p) => prompts(p.real));
    expect(same[1]).toEqual(same[0]);
    expect(same[2]).toEqual(same[0]);
    const fresh = (await run(dir, "fresh", "{ mode: replace, fresh: true, count: 10 }")).parts.map((p) =>
      prompts(p.real),
    );
    expect(new Set(fresh.flat()).size).toBe(30);
    const kept = (await run(dir, "kept", "{ mode: accumulate, fresh: true, count: 10 }")).parts.map((p) =>
      prompts(p.real),
    );
    expect(kept[0]).toEqual(fresh[0]);
    expect(kept[1]).toEqual([...fresh[0], ...fresh[1]]);
    expect(kept[2]).toEqual([...fresh[0], ...fresh[1], ...fresh[2]]);
  });

  it.each([
    ["fraction 0.25", "{ mode: fraction, fraction: 0.25 }", 0.25],
    ["fraction 0.5, fresh", "{ mode: fraction, fraction: 0.5, fresh: true }", 0.5],
  ])("%s: round(f s / (1 - f)) real samples for s synthetic ones", async (name, realData, f) => {
    const { ledger, parts } = await run(dir, name.replace(/\W+/g, "-"), realData);
    for (const [i, it] of ledger.iterations.entries()) {
      expect(it.real_samples).toBe(Math.round((f * it.accepted) / (1 - f)));
      expect(parts[i].real).toHaveLength(it.real_samples);
    }
    expect(ledger.totals.real_samples).toBeGreaterThan(0);
  });

  it("same seed: byte-identical outputs at another concurrency; stopped and resumed: byte-identical", async () => {
    const realData = "{ mode: fraction, fraction: 0.3, fresh: true }";
    const spec = writeSpec(dir, builtinSpec({ iterations: 3, prompts: 40, n: 4, realData }), "resume.yaml");
    await runPipeline({ specFile: spec, outDir: join(dir, "r-whole"), cache: false });
    await runPipeline({ specFile: spec, outDir: join(dir, "r-serial"), cache: false, concurrency: 1 });
    const controller = new AbortController();
    const first = await runPipeline({
      specFile: spec,
      outDir: join(dir, "r-parts"),
      concurrency: 2,
      cache: false,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.iteration === 1 && p.unitsDone >= 9) controller.abort();
      },
    });
    expect(first.status).toBe("interrupted");
    const rest = await runPipeline({
      specFile: spec,
      outDir: join(dir, "r-parts"),
      resume: true,
      cache: false,
    });
    expect(rest.status).toBe("completed");
    expect(rest.ledger?.totals.real_samples).toBeGreaterThan(0);
    for (const file of ["records.jsonl", "dataset.jsonl", "ledger.json"]) {
      const whole = readFileSync(join(dir, "r-whole", file), "utf8");
      expect(readFileSync(join(dir, "r-serial", file), "utf8"), file).toBe(whole);
      expect(readFileSync(join(dir, "r-parts", file), "utf8"), file).toBe(whole);
    }
  });

  it("self-training on the built-in student: accumulated real data keeps held-out accuracy at least as high as none", async () => {
    const spec = (realData: string) => `version: 1
name: keep-real
seed: 3
iterations: 6
task: { name: count, builtin: count }
prompts: { source: procedural, origin: real, count: 48, builtin: count }
generator: { role: student, samples_per_prompt: 4, builtin: { task: count, temperature: 1 } }
selection: { mode: none }
real_data: ${realData}
`;
    const final = async (name: string, realData: string) => {
      const result = await runPipeline({
        specFile: writeSpec(dir, spec(realData), `${name}.yaml`),
        outDir: join(dir, name),
        cache: false,
      });
      const ledger = result.ledger as Ledger;
      return {
        initial: ledger.held_out_accuracy_initial as number,
        last: ledger.iterations[5].held_out_accuracy as number,
      };
    };
    const none = await final("lab-none", "{ mode: none }");
    const accumulate = await final("lab-accumulate", "{ mode: accumulate, fresh: true, count: 16 }");
    expect(accumulate.initial).toBe(none.initial);
    // pure self-training drifts below where it started; with accumulated real data it does not
    expect(none.last).toBeLessThan(none.initial);
    expect(accumulate.last).toBeGreaterThanOrEqual(none.last);
    expect(accumulate.last).toBeGreaterThanOrEqual(accumulate.initial);
  });
});

describe("real_data from a file (endpoint run)", () => {
  const dir = tempDir();
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer([]);
  });
  afterAll(() => server.close());

  it("chat records and prompt/response rows: the first `count` of the seeded shuffle every iteration", async () => {
    const file = join(dir, "real.jsonl");
    const real = [
      ...Array.from({ length: 4 }, (_, i) =>
        JSON.stringify({
          messages: [
            { role: "user", content: `real question ${i}` },
            { role: "assistant", content: `answer ${i}` },
          ],
        }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        JSON.stringify({ prompt: `real question ${4 + i}`, response: `answer ${4 + i}` }),
      ),
    ];
    writeFileSync(file, `${real.join("\n")}\n`);
    const text = endpointSpec(dir, server.baseUrl, { iterations: "2" }).concat(
      "real_data: { mode: replace, count: 3, path: real.jsonl }\n",
    );
    const spec = writeSpec(dir, text);
    const result = await runPipeline({ specFile: spec, outDir: join(dir, "out"), cache: false });
    const ledger = result.ledger as Ledger;
    expect(ledger.iterations.map((it) => it.real_samples)).toEqual([3, 3]);
    const parts = byIteration(lines<DatasetRow>(join(dir, "out", "dataset.jsonl")), ledger);
    const pairs = parts.map((p) => p.real.map((r) => [r.messages[0].content, r.messages[1].content]));
    expect(pairs[1]).toEqual(pairs[0]);
    expect(new Set(pairs[0].map(([q]) => q)).size).toBe(3);
    for (const [q, a] of pairs[0]) expect(a).toBe(q.replace("real question", "answer"));
    expect(parts[0].real[0].messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("refuses to resume after the real-data file changed", async () => {
    writeFileSync(join(dir, "real.jsonl"), `${JSON.stringify({ prompt: "other", response: "x" })}\n`);
    await expect(
      runPipeline({ specFile: join(dir, "spec.yaml"), outDir: join(dir, "out"), resume: true, cache: false }),
    ).rejects.toThrow(/real-data file changed/);
  });
});
