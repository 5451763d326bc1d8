import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runOpenloop } from "../helpers/cli.js";
import { tempDir } from "../run/runner/specs.js";

describe("openloop demo", () => {
  const cwd = tempDir("openloop-demo-test-");
  let result: ReturnType<typeof runOpenloop>;
  beforeAll(() => {
    // a user's non-empty openloop-demo/ must be left alone: the demo goes to openloop-demo-2/
    mkdirSync(join(cwd, "openloop-demo"));
    writeFileSync(join(cwd, "openloop-demo", "mine.txt"), "user file");
    result = runOpenloop(["demo"], { cwd });
  });

  it("audits, runs with training, analyses and reports into a fresh folder, never overwriting", () => {
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, "openloop-demo", "mine.txt"), "utf8")).toBe("user file");
    const dir = join(cwd, "openloop-demo-2");
    for (const file of [
      "spec.yaml",
      "run/audit.json",
      "run/records.jsonl",
      "run/dataset.jsonl",
      "run/ledger.json",
      "report/report.html",
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(result.stdout).toContain(join("openloop-demo-2", "report", "report.html"));
    expect(result.stderr).toContain("audit: OPEN");
  });

  it("the ledger has 6 iterations x 200 prompts x 8 samples and the student learns", () => {
    const ledger = JSON.parse(readFileSync(join(cwd, "openloop-demo-2", "run", "ledger.json"), "utf8"));
    expect(ledger.iterations).toHaveLength(6);
    expect(ledger.totals.samples).toBe(6 * 200 * 8);
    expect(ledger.iterations.at(-1).held_out_accuracy).toBeGreaterThan(ledger.held_out_accuracy_initial);
    const html = readFileSync(join(cwd, "openloop-demo-2", "report", "report.html"), "utf8");
    expect(html).toContain("<html");
    expect(html).toContain("correct");
  });

  it("refuses a non-empty --out (exit 2) and leaves it untouched", () => {
    const busy = join(cwd, "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "mine.txt"), "user file");
    const refused = runOpenloop(["demo", "--out", busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("does not overwrite");
    expect(readFileSync(join(busy, "mine.txt"), "utf8")).toBe("user file");
  });
});
