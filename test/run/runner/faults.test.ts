/**
 * The run against a real HTTP server on loopback that injects endpoint faults: 500, 429 with
 * Retry-After, a hung request (timeout), a dropped connection, malformed JSON, fewer choices than
 * asked, and a request that fails every attempt. Each is retried or recorded as an error in the
 * records; the run never crashes and never loses an accepted sample.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../../src/run/index.js";
import { type Behaviour, type FaultServer, startFaultServer } from "../../helpers/fault-server.js";
import { endpointSpec, tempDir, writeSpec } from "./specs.js";

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

const fail500: Behaviour = { kind: "status", status: 500 };

describe("endpoint faults during a run", () => {
  const dir = tempDir();
  let server: FaultServer;
  let result: Awaited<ReturnType<typeof runPipeline>>;
  beforeAll(async () => {
    const ok: Behaviour = { kind: "ok" };
    server = await startFaultServer([
      fail500, // q0: retried
      ok,
      { kind: "status", status: 429, retryAfter: "1" }, // q1: retried after Retry-After
      ok,
      { kind: "hang" }, // q2: times out, retried
      ok,
      { kind: "drop" }, // q3: dropped connection, retried
      { kind: "malformed" }, // q3: malformed JSON, retried
      ok,
      { kind: "fewer", choices: 2 }, // q4: 2 of 4, the generator asks again for 2
      ok,
      fail500, // q5: fails every one of its 6 attempts
      fail500,
      fail500,
      fail500,
      fail500,
      fail500,
    ]);
    const spec = writeSpec(
      dir,
      endpointSpec(dir, server.baseUrl, { timeout: "0.5", apiKeyEnv: "OPENLOOP_TEST_KEY" }),
    );
    result = await runPipeline({
      specFile: spec,
      outDir: join(dir, "out"),
      concurrency: 1,
      env: { OPENLOOP_TEST_KEY: "sk-test" },
    });
  }, 60_000);
  afterAll(() => server.close());

  it("completes and records every candidate: the exhausted request as errors, nothing dropped", () => {
    expect(result.status).toBe("completed");
    const records = lines(join(dir, "out", "records.jsonl"));
    expect(records).toHaveLength(6 * 4);
    const errors = records.filter((r) => r.error !== undefined);
    expect(errors.map((r) => r.prompt_id)).toEqual(["q5", "q5", "q5", "q5"]);
    expect(errors[0].error).toMatch(/HTTP 500.*after 6 attempts/);
    for (const r of errors) expect(r.accepted).toBe(false);
    for (const r of records.filter((r) => r.error === undefined))
      expect(typeof r.signals.ends_zero).toBe("boolean");
  });

  it("refills the missing choices with a new seed and keeps every accepted sample in the dataset", () => {
    const records = lines(join(dir, "out", "records.jsonl"));
    const q4 = records.filter((r) => r.prompt_id === "q4").map((r) => r.response);
    expect(q4).toHaveLength(4);
    expect(new Set(q4).size).toBe(4);
    const accepted = records.filter((r) => r.accepted);
    for (const r of records.filter((r) => r.error === undefined))
      expect(r.accepted).toBe(/\.[02]$/.test(r.response));
    // q0..q3: choices 0 and 2 pass; q4: choice 0 of each of its two requests; q5: none
    expect(accepted).toHaveLength(4 * 2 + 2);
    const dataset = lines(join(dir, "out", "dataset.jsonl"));
    expect(dataset.map((d) => d.messages[1].content)).toEqual(accepted.map((r) => r.response));
  });

  it("counts errors apart from samples in the ledger", () => {
    const ledger = JSON.parse(readFileSync(join(dir, "out", "ledger.json"), "utf8"));
    expect(ledger.iterations[0]).toMatchObject({ prompts: 6, samples: 20, errors: 4, accepted: 10 });
    expect(ledger.iterations[0].accept_rate).toBeCloseTo(10 / 20, 12);
  });

  it("sends the key, the model, n and a per-prompt seed", () => {
    const posts = server.requests;
    expect(posts.every((r) => r.headers.authorization === "Bearer sk-test")).toBe(true);
    expect(posts[0].body).toMatchObject({ model: "test-model", n: 4 });
    const seeds = new Set(posts.map((r) => r.body.seed));
    expect(seeds.size).toBeGreaterThanOrEqual(6);
  });
});
