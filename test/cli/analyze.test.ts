import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createRecordWriter } from "../../src/records/index.js";
import { binaryVerifier, lengthJudge, type Row } from "../analyze/generate.js";
import { runOpenloop } from "../helpers/cli.js";

let dir: string;

function csvField(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function writeAll(rows: Row[], base: string): Promise<{ jsonl: string; csv: string; parquet: string }> {
  const jsonl = join(dir, `${base}.jsonl`);
  writeFileSync(jsonl, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const csv = join(dir, `${base}.csv`);
  const header = ["prompt_id", "response", "signals.pass"];
  writeFileSync(
    csv,
    `${header.join(",")}\n${rows
      .map((r) => [r.prompt_id, r.response, (r.signals as { pass: boolean }).pass].map(csvField).join(","))
      .join("\n")}\n`,
  );
  const parquet = join(dir, `${base}.parquet`);
  const writer = createRecordWriter(parquet);
  return (async () => {
    for (const r of rows) await writer.write(r);
    await writer.close();
    return { jsonl, csv, parquet };
  })();
}

const rates = [0.5, 0.25, 0.75, 1, 0];
let files: { jsonl: string; csv: string; parquet: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "openloop-cli-analyze-"));
  files = await writeAll(binaryVerifier(rates, 20), "verifier");
});

function json(args: string[]) {
  const result = runOpenloop(["analyze", ...args, "--json", "--bootstrap", "20", "--permutations", "50"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe("openloop analyze", () => {
  it("gives the same bits per sample from JSONL, CSV and Parquet", () => {
    const expected = (1 + 0.8112781244591328 * 2) / 5;
    for (const file of [files.jsonl, files.csv, files.parquet]) {
      const doc = json([file]);
      expect(doc.inputs.files[0].format).toBe(file.split(".").pop());
      expect(doc.inputs.records).toBe(100);
      expect(doc.signals[0].overall.bits_per_sample.value).toBeCloseTo(expected, 5);
    }
  });

  it("prints a terminal summary by default and lists what missing fields disable", () => {
    const result = runOpenloop(["analyze", files.jsonl, "--bootstrap", "10"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Findings");
    expect(result.stdout).toContain("pass");
    const doc = json([files.jsonl]);
    const missing = doc.fields.missing.find((m: { field: string }) => m.field === "class");
    expect(missing.disables.join(" ")).toContain("efficiency");
  });

  it("writes Markdown, HTML and an output directory", () => {
    const md = join(dir, "r.md");
    const html = join(dir, "r.html");
    const out = join(dir, "report");
    const result = runOpenloop([
      "analyze",
      files.jsonl,
      "--md",
      md,
      "--html",
      html,
      "--out",
      out,
      "--bootstrap",
      "10",
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(md, "utf8")).toContain("pass");
    expect(readFileSync(html, "utf8")).toMatch(/<html/i);
    expect(JSON.parse(readFileSync(join(out, "analysis.json"), "utf8")).schema).toBe("openloop.analysis/1");
  });

  it("maps a foreign log with --map and --class-from", () => {
    const log = join(dir, "foreign.jsonl");
    const rows = lengthJudge(5, 10).map((r) => ({
      qid: r.prompt_id,
      text: `${r.response} 12`,
      score: (r.signals as { judge: boolean }).judge ? 1 : 0,
    }));
    writeFileSync(log, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const doc = json([
      log,
      "--map",
      "prompt_id=qid",
      "--map",
      "response=text",
      "--map",
      "signals.reward=score",
      "--class-from",
      "response:last-number",
    ]);
    expect(doc.signals[0].name).toBe("reward");
    expect(doc.fields.present).toContain("class");
    expect(doc.settings.class_from).toBe("response:last-number");
    expect(doc.signals[0].overall.efficiency.value).toBe(0); // one class: nothing task-relevant
  });

  it("reads TRL completions as Parquet, the way GRPOTrainer writes them", async () => {
    const rows = readFileSync(join(__dirname, "../fixtures/trl-grpo-completions.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const parquet = join(dir, "completions_00010.parquet");
    const writer = createRecordWriter(parquet, { validate: false });
    for (const row of rows) await writer.write(row);
    await writer.close();
    const doc = json([parquet, "--preset", "trl-grpo", "--class-from", "response:boxed"]);
    expect(doc.inputs.records).toBe(24);
    expect(doc.signals.map((s: { name: string }) => s.name).sort()).toEqual([
      "accuracy_reward",
      "format_reward",
    ]);
    expect(doc.fields.present).toContain("class");
  });

  it("reads the TRL and verl presets", () => {
    const trl = json([join(__dirname, "../fixtures/trl-grpo-completions.jsonl"), "--preset", "trl-grpo"]);
    expect(trl.signals.map((s: { name: string }) => s.name).sort()).toEqual([
      "accuracy_reward",
      "format_reward",
    ]);
    expect(trl.inputs.iterations).toEqual([10, 20]);
    const verl = json([join(__dirname, "../fixtures/verl-rollout-2.jsonl"), "--preset", "verl"]);
    expect(verl.signals.map((s: { name: string }) => s.name).sort()).toEqual(["acc", "score"]);
    expect(verl.fields.present).toContain("class");
  });
});

describe("bad input", () => {
  const bad = () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(
      file,
      '{"prompt_id":"a","signals":{"reward":1}}\n{"prompt_id":"a","signals":{"reward":0}}\n{"prompt_id": "b", oops}\n{"prompt_id":"b","signals":{"reward":1}}\n',
    );
    return file;
  };

  function expectUserError(args: string[], pattern: RegExp) {
    const result = runOpenloop(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return result;
  }

  it("stops at a malformed line with file:line", () => {
    const file = bad();
    expectUserError(["analyze", file], new RegExp(`${file.replaceAll(".", "\\.")}:3.*malformed JSON`));
  });

  it("skips and counts it with --skip-bad", () => {
    const result = runOpenloop(["analyze", bad(), "--skip-bad", "--json", "--bootstrap", "0"]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.inputs.skipped).toBe(1);
    expect(doc.inputs.skipped_examples[0]).toMatchObject({ line: 3 });
    expect(doc.inputs.records).toBe(3);
    expect(result.stderr).toContain("skipped 1 bad row");
  });

  it("rejects a non-numeric reward with its location", () => {
    const file = join(dir, "nonnumeric.jsonl");
    writeFileSync(
      file,
      '{"prompt_id":"a","signals":{"reward":0.5}}\n{"prompt_id":"a","signals":{"reward":"high"}}\n',
    );
    expectUserError(["analyze", file], /nonnumeric\.jsonl:2.*signal 'reward' must be a number/);
  });

  it("rejects an empty file", () => {
    const file = join(dir, "empty.jsonl");
    writeFileSync(file, "");
    expectUserError(["analyze", file], /empty\.jsonl: empty file/);
  });

  it.each([
    [["--preset", "nope"], /unknown preset 'nope'/],
    [["--map", "weight=w"], /unknown map target 'weight'/],
    [["--class-from", "response:first"], /unknown canonicaliser 'first'/],
    [["--unit", "bytes"], /--unit expects one of bits, nats/],
  ])("rejects %j and writes nothing", (extra, pattern) => {
    const md = join(dir, `never-${extra[0].slice(2)}.md`);
    expectUserError(["analyze", files.jsonl, "--md", md, ...extra], pattern);
    expect(existsSync(md)).toBe(false);
  });

  it("reports a missing file as an error with exit 2", () => {
    expectUserError(["analyze", join(dir, "missing.jsonl")], /file not found/);
  });
});
