import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runOpenloop } from "../helpers/cli.js";
import { tempDir } from "../run/runner/specs.js";

describe("openloop demo", () => {
  const cwd = tempDir("openloop-demo-test-");
  let first: ReturnType<typeof runOpenloop>;
  beforeAll(() => {
    first = runOpenloop(["demo"], { cwd });
  });

  it("audits, runs with training, analyses and reports into a fresh openloop-demo/ folder", () => {
    expect(first.code, first.stderr).toBe(0);
    const dir = join(cwd, "openloop-demo");
    for (const file of [
      "spec.yaml",
      "run/audit.json",
      "run/records.jsonl",
      "run/dataset.jsonl",
      "run/ledger.json",
      "report/report.html",
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(first.stdout).toContain(join("openloop-demo", "report", "report.html"));
    expect(first.stderr).toContain("audit: OPEN");
    const ledger = JSON.parse(readFileSync(join(dir, "run", "ledger.json"), "utf8"));
    expect(ledger.iterations).toHaveLength(6);
    expect(ledger.totals.samples).toBe(6 * 200 * 8);
    // the student learns: held-out accuracy after training exceeds the start
    expect(ledger.iterations.at(-1).held_out_accuracy).toBeGreaterThan(ledger.held_out_accuracy_initial);
    const html = readFileSync(join(dir, "report", "report.html"), "utf8");
    expect(html).toContain("<html");
    expect(html).toContain("correct");
  });

  it("never overwrites: a second demo goes to openloop-demo-2/, a non-empty --out is refused (exit 2)", () => {
    const second = runOpenloop(["demo"], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(join(cwd, "openloop-demo-2", "report", "report.html"))).toBe(true);
    const busy = join(cwd, "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "mine.txt"), "user file");
    const refused = runOpenloop(["demo", "--out", busy]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("does not overwrite");
    expect(readFileSync(join(busy, "mine.txt"), "utf8")).toBe("user file");
  });
});
