/** Writing reports to files and directories, atomically. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { analysisJson, renderHtml, renderMarkdown, writeReports } from "../../src/report/index.js";
import { fixtureDocument } from "./fixture.js";

const dir = mkdtempSync(join(tmpdir(), "openloop-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeReports", () => {
  const doc = fixtureDocument();

  it("writes analysis.json, report.md and report.html into --out DIR", () => {
    const out = join(dir, "nested", "out");
    expect(writeReports(doc, { outDir: out })).toEqual([
      join(out, "analysis.json"),
      join(out, "report.md"),
      join(out, "report.html"),
    ]);
    expect(JSON.parse(readFileSync(join(out, "analysis.json"), "utf8"))).toEqual(doc);
    expect(readFileSync(join(out, "report.md"), "utf8")).toBe(renderMarkdown(doc));
    expect(readFileSync(join(out, "report.html"), "utf8")).toBe(renderHtml(doc));
    expect(readdirSync(out).sort()).toEqual(["analysis.json", "report.html", "report.md"]);
  });

  it("writes single --md and --html files", () => {
    writeReports(doc, { md: join(dir, "r.md"), html: join(dir, "r.html") });
    expect(readFileSync(join(dir, "r.md"), "utf8")).toBe(renderMarkdown(doc));
    expect(readFileSync(join(dir, "r.html"), "utf8").startsWith("<!DOCTYPE html>")).toBe(true);
  });

  it("fails with an io error naming the file and leaves nothing behind", () => {
    const blocker = join(dir, "file");
    writeFileSync(blocker, "x");
    const target = join(blocker, "report.md");
    let error: unknown;
    try {
      writeReports(doc, { md: target });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenloopError);
    expect((error as OpenloopError).code).toBe("io");
    expect((error as OpenloopError).where.file).toBe(target);
    expect(existsSync(target)).toBe(false);
  });

  it("prints non-finite numbers as null", () => {
    const d = fixtureDocument();
    d.signals[0].overall.bits_per_sample.value = Number.NaN;
    expect(JSON.parse(analysisJson(d)).signals[0].overall.bits_per_sample.value).toBeNull();
  });
});
