/**
 * Resuming an endpoint run (in-process, against the loopback server): a run stopped after a few
 * prompts, then resumed at another concurrency, writes the same bytes as an uninterrupted run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../../src/run/index.js";
import { type FaultServer, startFaultServer } from "../../helpers/fault-server.js";
import { endpointSpec, tempDir, writeSpec } from "./specs.js";

const OUTPUTS = ["records.jsonl", "dataset.jsonl", "ledger.json", "audit.json"];

describe("resume of an endpoint run", () => {
  const dir = tempDir();
  let server: FaultServer;
  let spec: string;
  beforeAll(async () => {
    server = await startFaultServer([]);
    spec = writeSpec(dir, endpointSpec(dir, server.baseUrl, { prompts: "40", iterations: "2", n: "3" }));
  });
  afterAll(() => server.close());

  it("stopped after some prompts, resumed at another concurrency: byte-identical outputs", async () => {
    const whole = await runPipeline({ specFile: spec, outDir: join(dir, "whole"), cache: false });
    expect(whole.status).toBe("completed");

    const controller = new AbortController();
    const first = await runPipeline({
      specFile: spec,
      outDir: join(dir, "parts"),
      concurrency: 2,
      cache: false,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.iteration === 1 && p.unitsDone >= 7) controller.abort();
      },
    });
    expect(first.status).toBe("interrupted");
    expect(first.ledger).toBeUndefined();
    const rest = await runPipeline({
      specFile: spec,
      outDir: join(dir, "parts"),
      resume: true,
      concurrency: 16,
      cache: false,
    });
    expect(rest.status).toBe("completed");
    expect(rest.resumedUnits).toBe(first.newUnits);
    expect(rest.resumedUnits + rest.newUnits).toBe(2 * 40);
    for (const file of OUTPUTS)
      expect(readFileSync(join(dir, "parts", file), "utf8"), file).toBe(
        readFileSync(join(dir, "whole", file), "utf8"),
      );
  });

  it("refuses to resume with a changed spec", async () => {
    writeSpec(dir, readFileSync(spec, "utf8").replace("seed: 5\niterations", "seed: 6\niterations"));
    await expect(
      runPipeline({ specFile: spec, outDir: join(dir, "parts"), resume: true, cache: false }),
    ).rejects.toThrow(/spec changed/);
  });
});
