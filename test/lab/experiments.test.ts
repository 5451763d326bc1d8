import { describe, expect, it } from "vitest";
import { claimExperiments } from "../../src/lab/registry.js";
import { type LabRun, runLab } from "../../src/lab/run.js";

// Every claim experiment at its default settings and default seeds (from seed 1); meta-level
// with M up to 4 instead of 16 to keep the suite fast. Loops run on worker threads when
// dist/lab/worker.js is built, in this thread otherwise.
const names = claimExperiments.map((e) => e.name);
let run: LabRun;

describe("the lab's claim experiments at default settings", () => {
  it("run", { timeout: 600_000 }, async () => {
    run = await runLab(names, { seed: 1, params: { max_forms: 4 } });
    expect(run.experiments.map((e) => e.experiment)).toEqual(names);
  });

  it.each(names)("%s: every claim holds, and the series carry means with 95%% intervals", (name) => {
    const result = run.experiments.find((e) => e.experiment === name)!;
    for (const claim of result.claims)
      expect({ claim: claim.claim, holds: claim.holds, measured: claim.measured }).toMatchObject({
        holds: true,
      });
    expect(result.seeds).toBeGreaterThanOrEqual(5);
    const iterations = result.params.iterations as number;
    expect(result.series).toHaveLength(iterations + 1);
    const row = result.series[iterations];
    const means = Object.keys(row).filter((k) => `${k}_lo` in row);
    expect(means.length).toBeGreaterThan(0);
    for (const k of means) {
      if (!Number.isFinite(row[k])) continue;
      expect(row[`${k}_lo`]).toBeLessThanOrEqual(row[k] + 1e-12);
      expect(row[`${k}_hi`]).toBeGreaterThanOrEqual(row[k] - 1e-12);
    }
    expect(result.audit!.length).toBeGreaterThan(0);
  });
});

describe("determinism", () => {
  const small = { iterations: 3, batch: 4, group: 4, held_out: 20, warmup: 2 };

  it("the same seed gives the same JSON, on one thread or several", async () => {
    const a = await runLab(["verifier", "drifting-judge"], { seeds: 3, seed: 42, params: small, workers: 1 });
    const b = await runLab(["verifier", "drifting-judge"], { seeds: 3, seed: 42, params: small, workers: 2 });
    expect(JSON.stringify(b.experiments)).toBe(JSON.stringify(a.experiments));
    const c = await runLab(["verifier"], { seeds: 3, seed: 43, params: small, workers: 1 });
    expect(JSON.stringify(c.experiments[0].series)).not.toBe(JSON.stringify(a.experiments[0].series));
  });

  it("keeps a rollout record per sample when asked", async () => {
    const r = await runLab(["diversity"], {
      seeds: 2,
      seed: 1,
      params: small,
      keepRecords: true,
      workers: 1,
    });
    expect(r.records).toHaveLength(4);
    for (const part of r.records) {
      expect(part.records).toHaveLength(3 * 4 * 4);
      const first = part.records[0];
      expect(Object.keys(first).sort()).toEqual(
        [
          "accepted",
          "class",
          "features",
          "gold",
          "iteration",
          "prompt",
          "prompt_id",
          "response",
          "signals",
        ].sort(),
      );
      expect(first.signals).toHaveProperty("verdict");
    }
  });
});
