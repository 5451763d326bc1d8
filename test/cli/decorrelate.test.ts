import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lengthJudge } from "../analyze/generate.js";
import { runOpenloop } from "../helpers/cli.js";

describe("openloop decorrelate", () => {
  const dir = mkdtempSync(join(tmpdir(), "openloop-cli-decorrelate-"));
  const log = join(dir, "judge.jsonl");
  writeFileSync(
    log,
    `${lengthJudge(30, 30)
      .map((r) => JSON.stringify(r))
      .join("\n")}\n`,
  );

  it("writes weighted records and reports the channel's bits before and after", () => {
    const out = join(dir, "weighted.jsonl");
    const result = runOpenloop([
      "decorrelate",
      log,
      "--feature",
      "length_tokens",
      "--signal",
      "judge",
      "--out",
      out,
      "--json",
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.bits_before).toBeGreaterThan(0.05);
    expect(report.bits_after).toBeLessThan(0.002);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows).toHaveLength(900);
    expect(JSON.parse(rows[0])).toHaveProperty("weight");
  });

  it("prints a summary line on the terminal", () => {
    const out = join(dir, "w2.jsonl");
    const result = runOpenloop([
      "decorrelate",
      log,
      "--feature",
      "length_chars",
      "--signal",
      "judge",
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /I\(judge;length_chars\|class,prompt\): [\d.]+ -> [\d.e-]+ bits per sample/,
    );
  });

  it("fails with exit 2 on an unknown signal and writes nothing", () => {
    const out = join(dir, "never.jsonl");
    const result = runOpenloop([
      "decorrelate",
      log,
      "--feature",
      "length_chars",
      "--signal",
      "nope",
      "--out",
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no signal 'nope'/);
    expect(existsSync(out)).toBe(false);
  });
});
