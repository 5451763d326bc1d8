import { beforeAll, describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { scanColumns } from "../../src/analyze/scan-columns.js";
import { planColumnarRecords } from "../../src/records/index.js";
import { richLog, toParquet, writeJsonl } from "./generate.js";

/** The document as JSON with the input file names and formats removed. */
function comparable(doc: unknown): string {
  const copy = JSON.parse(JSON.stringify(doc));
  copy.inputs.files = copy.inputs.files.map((f: { records: number; skipped: number }) => ({
    records: f.records,
    skipped: f.skipped,
  }));
  return JSON.stringify(copy, null, 1);
}

describe("columnar Parquet path", () => {
  let jsonl: string;
  let parquet: string;
  beforeAll(async () => {
    jsonl = writeJsonl(richLog(11));
    parquet = await toParquet(jsonl);
  });

  it("takes the columnar path for a native Parquet log", async () => {
    const plan = await planColumnarRecords([parquet], {});
    expect(plan?.signals).toEqual(["pass", "conf", "score"]);
    expect(plan?.userFeatures).toEqual(["style", "verbosity"]);
    expect(plan?.promptIds.size).toBe(40);
    // every row is read column by column (no fallback to the row path)
    const scan = await scanColumns(plan as NonNullable<typeof plan>, 0);
    scan.spill?.dispose();
    expect(scan.report.records).toBe(960);
    expect([...scan.present].sort()).toEqual([
      "accepted",
      "class",
      "features",
      "gold",
      "iteration",
      "prompt",
      "prompt_id",
      "response",
      "signals",
    ]);
    // a field map, a preset or a canonicaliser needs the row path
    expect(await planColumnarRecords([parquet], { map: [{ target: "class", source: "class" }] })).toBeNull();
    expect(await planColumnarRecords([jsonl], {})).toBeNull();
  });

  it.each([
    [1, 50, 49],
    [7, 0, 1],
  ])(
    "gives the same analysis as JSONL (seed %i, bootstrap %i, permutations %i)",
    async (seed, bootstrap, permutations) => {
      const options = { seed, bootstrap, permutations };
      const fromJsonl = await analyzeRecords([jsonl], options);
      const fromParquet = await analyzeRecords([parquet], options);
      expect(fromParquet.inputs.files[0].format).toBe("parquet");
      expect(fromParquet.signals.map((s) => s.kind)).toEqual(["binary", "continuous", "categorical"]);
      expect(fromParquet.fields.features).toEqual(
        expect.arrayContaining(["length_tokens", "style", "verbosity"]),
      );
      expect(comparable(fromParquet)).toBe(comparable(fromJsonl));
    },
  );

  it("gives the same analysis of two files as JSONL", async () => {
    const second = writeJsonl(richLog(12));
    const secondParquet = await toParquet(second);
    const fromJsonl = await analyzeRecords([jsonl, second], { seed: 3, bootstrap: 20, permutations: 19 });
    const fromParquet = await analyzeRecords([parquet, secondParquet], {
      seed: 3,
      bootstrap: 20,
      permutations: 19,
    });
    expect(fromParquet.inputs.records).toBe(2 * 960);
    expect(comparable(fromParquet)).toBe(comparable(fromJsonl));
  });

  it("falls back to the row path, with its error, on a row without signals", async () => {
    const rows = richLog(13).slice(0, 50);
    rows[20] = { ...rows[20], signals: { pass: null, conf: null, score: null } };
    const bad = writeJsonl(rows);
    const badParquet = await toParquet(bad);
    expect(await planColumnarRecords([badParquet], {})).not.toBeNull();
    await expect(analyzeRecords([badParquet])).rejects.toMatchObject({
      code: "input",
      message: expect.stringContaining("no signal"),
      where: { file: badParquet, line: 21 },
    });
  });

  it("reads files with a text signal through the row path, with the same result", async () => {
    const rows = richLog(14).map((r, i) => ({
      ...r,
      signals: { ...(r.signals as object), judge: i % 3 ? "yes" : "no" },
    }));
    const file = writeJsonl(rows);
    const text = await toParquet(file);
    expect(await planColumnarRecords([text], {})).toBeNull();
    const a = await analyzeRecords([file], { bootstrap: 0, permutations: 1 });
    const b = await analyzeRecords([text], { bootstrap: 0, permutations: 1 });
    expect(comparable(b)).toBe(comparable(a));
  });
});
