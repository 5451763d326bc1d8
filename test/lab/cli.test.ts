import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRows } from "../../src/records/index.js";
import { runOpenloop } from "../helpers/cli.js";

const small = [
  "--param",
  "iterations=2",
  "--param",
  "batch=4",
  "--param",
  "group=4",
  "--param",
  "held_out=20",
];

describe("openloop lab", () => {
  it("--list shows every experiment on one line", () => {
    const r = runOpenloop(["lab", "--list"]);
    expect(r.code).toBe(0);
    const names = r.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual([
      "closed-loop",
      "verifier",
      "drifting-judge",
      "meta-level",
      "reward-hacking",
      "diversity",
      "random-reward",
      "gaussian",
      "regression",
      "categorical",
    ]);
  });

  it.each([
    [["lab", "no-such"], /unknown experiment 'no-such'[\s\S]*valid experiments: closed-loop, verifier/],
    [
      ["lab", "verifier", "--param", "nope=1"],
      /unknown param 'nope'[\s\S]*iterations \(int 1\.\.1000, default 30\)/,
    ],
    [
      ["lab", "verifier", "--param", "iterations=2.5"],
      /param 'iterations' of 'verifier' must be a whole number[\s\S]*int 1\.\.1000/,
    ],
    [["lab", "verifier", "--param", "task=sort"], /must be one of count, add, max, weighted/],
    [["lab", "verifier", "--param", "lr=5"], /must be between 0\.00001 and 1|must be between 1e-5 and 1/],
    [["lab", "verifier", "--param", "noequals"], /--param expects key=value/],
    [["lab", "--seeds", "0"], /--seeds expects a whole number/],
  ])("%j is a usage error (exit 2, one line, no stack)", (args, message) => {
    const r = runOpenloop(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stdout).toBe("");
  });

  it("--json prints one document with experiment, params, seeds, series and claims", () => {
    const r = runOpenloop(["lab", "verifier", "categorical", "--seeds", "3", "--json", ...small]);
    expect([0, 1], r.stderr).toContain(r.code);
    const doc = JSON.parse(r.stdout) as { experiments: Record<string, unknown>[] };
    expect(doc.experiments.map((e) => e.experiment)).toEqual(["verifier", "categorical"]);
    const [verifier, categorical] = doc.experiments as {
      params: Record<string, unknown>;
      seeds: number;
      series: Record<string, number>[];
      claims: { claim: string; predicted: unknown; measured: unknown; holds: boolean }[];
    }[];
    expect(verifier.seeds).toBe(3);
    expect(verifier.params).toMatchObject({ iterations: 2, batch: 4, task: "count" });
    expect(verifier.series.map((s) => s.iteration)).toEqual([0, 1, 2]);
    expect(verifier.series[1]).toHaveProperty("rft_accuracy");
    expect(verifier.series[1]).toHaveProperty("rlvr_signal_bits_lo");
    for (const c of verifier.claims)
      expect(Object.keys(c).sort()).toEqual(["claim", "holds", "measured", "predicted"]);
    expect(categorical.series[0]).toHaveProperty("generation");
    expect(categorical.series[0]).toHaveProperty("heterozygosity_mean");
    expect(categorical.series[0]).toHaveProperty("support_mean");
  });

  it("--unit nats converts the information quantities of series and claims, nothing else", () => {
    const args = ["lab", "closed-loop", "--seeds", "2", "--json", ...small];
    const bits = JSON.parse(runOpenloop(args).stdout).experiments[0];
    const nats = JSON.parse(runOpenloop([...args, "--unit", "nats"]).stdout).experiments[0];
    expect(nats.unit).toBe("nats");
    expect(nats.series[2].class_entropy).toBeCloseTo(bits.series[2].class_entropy * Math.LN2, 12);
    expect(nats.series[2].class_entropy_hi).toBeCloseTo(bits.series[2].class_entropy_hi * Math.LN2, 12);
    expect(nats.series[2].tail_mass).toBe(bits.series[2].tail_mass);
    expect(nats.claims.map((c: { holds: boolean }) => c.holds)).toEqual(
      bits.claims.map((c: { holds: boolean }) => c.holds),
    );
    expect(nats.claims[1].measured).toMatch(/ nats$/);
    expect(runOpenloop([...args, "--unit", "bans"]).code).toBe(2);
  });

  it("--out writes the JSON, the rollout records of every run, SVG plots and an HTML page", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "openloop-lab-")), "out");
    const r = runOpenloop(["lab", "reward-hacking", "--seeds", "2", "--out", dir, ...small]);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stdout).toMatch(/claims hold/);
    const doc = JSON.parse(readFileSync(join(dir, "lab.json"), "utf8")) as {
      experiments: { experiment: string }[];
    };
    expect(doc.experiments[0].experiment).toBe("reward-hacking");
    const records = readdirSync(join(dir, "records", "reward-hacking")).sort();
    expect(records).toEqual([
      "decorrelated-seed1.jsonl",
      "decorrelated-seed2.jsonl",
      "hacked-seed1.jsonl",
      "hacked-seed2.jsonl",
    ]);
    let n = 0;
    for await (const { row } of readRows(join(dir, "records", "reward-hacking", "hacked-seed1.jsonl"))) {
      expect(row).toHaveProperty("signals.reward");
      n += 1;
    }
    expect(n).toBe(2 * 4 * 4);
    const plots = readdirSync(join(dir, "plots"));
    expect(plots).toContain("reward-hacking-accuracy.svg");
    expect(readFileSync(join(dir, "plots", "reward-hacking-accuracy.svg"), "utf8")).toMatch(
      /<svg[\s\S]*<\/svg>/,
    );
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).toContain("predicted");
    expect(html).toContain("decorrelating length restores progress");
    expect(html).toContain("<svg");
  });
});
