import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { type Scan, scanRecords } from "../../src/analyze/scan.js";
import { scanColumns } from "../../src/analyze/scan-columns.js";
import { planColumnarRecords } from "../../src/records/index.js";
import { damageParquetPage } from "../helpers/parquet.js";
import { richLog, toParquet, writeJsonl } from "./generate.js";

/** Everything a scan learned, spilled rows included, as text (then disposes of the spill). */
function dump(scan: Scan): string {
  const rows: number[][] = [];
  // response hashes differ between the paths (JavaScript's on the row path, DuckDB's here): keep their equalities
  const responses = new Map<number, number>();
  const response = (hash: number) => {
    if (hash < 0) return hash;
    if (!responses.has(hash)) responses.set(hash, responses.size);
    return responses.get(hash) as number;
  };
  for (const block of scan.spill?.readBlocks() ?? []) {
    const values = scan.variables.map((v) => block.values(v.id));
    for (let r = 0; r < block.rows; r++) {
      rows.push([
        block.prompt[r],
        block.iteration[r],
        block.cls[r],
        response(block.responseHash[r]),
        block.gold[r],
        ...values.map((column) => (column === null ? Number.NaN : column[r])),
      ]);
    }
  }
  scan.spill?.dispose();
  return JSON.stringify({
    rows,
    prompts: scan.promptIds,
    iterations: scan.iterations,
    variables: scan.variables.map((v) => [v.name, v.role, v.count, [...v.distinct], v.overflow]),
    present: [...scan.present].sort(),
    minhash: scan.minhash.map((sample) =>
      sample.map((e) => [e.prompt, e.hash, e.sketches.map((k) => [...k])]),
    ),
  });
}

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

  it("keeps a leading U+FEFF of prompt ids, as JSONL does", async () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      prompt_id: `${i % 40 < 20 ? "\uFEFF" : ""}p${i % 20}`,
      response: `\uFEFFanswer ${i % 7}`,
      signals: { pass: (i * 7) % 3 === 0 },
    }));
    const bom = writeJsonl(rows);
    const bomParquet = await toParquet(bom);
    expect((await planColumnarRecords([bomParquet], {}))?.promptIds.size).toBe(40);
    const fromJsonl = await analyzeRecords([bom], { bootstrap: 0 });
    const fromParquet = await analyzeRecords([bomParquet], { bootstrap: 0 });
    expect(fromJsonl.inputs.prompts).toBe(40);
    expect(comparable(fromParquet)).toBe(comparable(fromJsonl));
  });

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

  it("gives the row path's scan with any number of readers, on units of several row groups", async () => {
    // 400 prompts per iteration (the MinHash sample keeps 64), each prompt's 8 samples of an
    // iteration 400 rows apart, so they fall into different units (row groups of 2,048 rows)
    const rows = Array.from({ length: 10 }, (_, k) =>
      richLog(50 + k).map((r, n) => ({
        row: { ...r, prompt_id: `${r.prompt_id}-${k}` } as Record<string, unknown>,
        sample: n % 8,
        k,
        n,
      })),
    )
      .flat()
      .sort(
        (a, b) =>
          (a.row.iteration as number) - (b.row.iteration as number) ||
          a.sample - b.sample ||
          a.k - b.k ||
          a.n - b.n,
      )
      .map((r) => r.row);
    const file = writeJsonl(rows);
    const grouped = file.replace(/\.jsonl$/, ".parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM read_json('${file}', format = 'newline_delimited', sample_size = -1)) TO '${grouped}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
    connection.closeSync();
    instance.closeSync();
    const plan = await planColumnarRecords([grouped], {});
    if (plan === null) throw new Error("no columnar plan");
    expect(plan.job.units.length).toBeGreaterThan(3);
    const row = dump(await scanRecords([file], {}, { spill: true, seed: 4 }));
    expect(JSON.parse(row).rows).toHaveLength(9600);
    expect(JSON.parse(row).minhash[0]).toHaveLength(64);
    for (const readers of [1, 2, 3]) expect(dump(await scanColumns(plan, 4, { readers }))).toBe(row);
  });

  it("gives the row path's scan when a prompt's rows run on across iterations", async () => {
    // each prompt's rows of all iterations together: one run of rows spans several iterations
    const rows = Array.from({ length: 6 }, (_, k) =>
      richLog(70 + k).map((r) => ({ ...r, prompt_id: `${r.prompt_id}-${k}` }) as Record<string, unknown>),
    )
      .flat()
      .sort(
        (a, b) =>
          String(a.prompt_id).localeCompare(String(b.prompt_id)) ||
          (a.iteration as number) - (b.iteration as number),
      );
    const file = writeJsonl(rows);
    const parquet = await toParquet(file);
    const plan = await planColumnarRecords([parquet], {});
    if (plan === null) throw new Error("no columnar plan");
    const row = dump(await scanRecords([file], {}, { spill: true, seed: 5 }));
    expect(JSON.parse(row).minhash[1]).toHaveLength(64);
    for (const readers of [1, 2]) expect(dump(await scanColumns(plan, 5, { readers }))).toBe(row);
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

describe("columnar plan of a schema", () => {
  const dir = mkdtempSync(join(tmpdir(), "openloop-plan-"));
  const base =
    "SELECT (i % 3) AS iteration, 'p' || (i % 7) AS prompt_id, 'resp ' || i AS response, CAST(i % 4 AS VARCHAR) AS class, i % 2 = 0 AS gold, {'pass': i % 2 = 0, 'score': (i % 10) / 10.0} AS signals FROM range(50) t(i)";
  const extra = (column: string) => base.replace(" FROM range", `, ${column} FROM range`);
  /** A Parquet file of the rows of `sql`. */
  async function parquetOf(name: string, sql: string): Promise<string> {
    const file = join(dir, `${name}.parquet`);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    return file;
  }

  it.each([
    ["native", base, ["pass", "score"], []],
    [
      "integer prompt ids and classes",
      base.replace("'p' || (i % 7)", "(i % 7)").replace("CAST(i % 4 AS VARCHAR)", "(i % 4)"),
      ["pass", "score"],
      [],
    ],
    [
      "numeric signal and feature types, names quoted",
      extra("{'st yle': i % 2, 'v\"x': CAST(1.5 AS DOUBLE), 'f': i % 5 = 0} AS features").replace(
        "'score': (i % 10) / 10.0",
        "'score': CAST(i AS TINYINT), 'u': CAST(i AS UINTEGER), 'f': CAST(i AS FLOAT)",
      ),
      ["pass", "score", "u", "f"],
      ["st yle", 'v"x', "f"],
    ],
    ["a text signal", base.replace("(i % 10) / 10.0", "'x'"), null, null],
    ["a DECIMAL signal", base.replace("(i % 10) / 10.0", "CAST(i AS DECIMAL(5, 2))"), null, null],
    ["a UBIGINT signal", base.replace("(i % 10) / 10.0", "CAST(i AS UBIGINT)"), null, null],
    ["a nested signal", base.replace("(i % 10) / 10.0", "{'a': 1}"), null, null],
    [
      "signals that are not a struct",
      base.replace("{'pass': i % 2 = 0, 'score': (i % 10) / 10.0}", "1.0"),
      null,
      null,
    ],
    ["an index-like signal name", base.replace("'score'", "'0'"), null, null],
    ["a user feature named as a built-in one", extra("{'length_chars': 1} AS features"), null, null],
    ["a text gold", base.replace("i % 2 = 0 AS gold", "'yes' AS gold"), null, null],
    ["a boolean iteration", base.replace("(i % 3) AS iteration", "i % 2 = 0 AS iteration"), null, null],
    ["an integer response", base.replace("'resp ' || i AS response", "i AS response"), null, null],
    ["an error column", extra("NULL::VARCHAR AS error"), null, null],
    ["a flattened signal column", extra('1.0 AS "signals.x"'), null, null],
    [
      "a missing prompt id",
      base.replace("'p' || (i % 7)", "CASE WHEN i = 3 THEN NULL ELSE 'p' || (i % 7) END"),
      null,
      null,
    ],
  ] as [string, string, string[] | null, string[] | null][])("%s", async (name, sql, signals, features) => {
    const plan = await planColumnarRecords([await parquetOf(name.replaceAll(" ", "-"), sql)], {});
    expect(plan === null ? null : [plan.signals, plan.userFeatures]).toEqual(
      signals === null ? null : [signals, features],
    );
    if (plan !== null) {
      expect([...plan.promptIds.values()].sort()).toEqual(
        name.startsWith("integer")
          ? ["0", "1", "2", "3", "4", "5", "6"]
          : ["p0", "p1", "p2", "p3", "p4", "p5", "p6"],
      );
      expect(plan.records).toEqual([50]);
      expect(plan.job.units.map((u) => u.to - u.from)).toEqual([50]);
    }
  });

  it("reads files of one schema together, and no files of two", async () => {
    const a = await parquetOf("a", base);
    const b = await parquetOf("b", base.replace("range(50)", "range(20)"));
    const plan = await planColumnarRecords([a, b], {});
    expect(plan?.records).toEqual([50, 20]);
    const c = await parquetOf("c", extra("'q' AS prompt"));
    expect(await planColumnarRecords([a, c], {})).toBeNull();
  });

  it("names the file DuckDB cannot read, not the first one", async () => {
    const a = await parquetOf("readable", base);
    const broken = join(dir, "broken.parquet");
    writeFileSync(broken, readFileSync(a).subarray(0, 100));
    await expect(planColumnarRecords([a, broken], {})).rejects.toMatchObject({
      code: "input",
      message: expect.stringMatching(/^DuckDB cannot read the file: /),
      where: { file: broken },
    });
  });

  it("leaves a damaged page in a query over several files to the row path, which names the file", async () => {
    const a = await parquetOf("whole", base);
    const damaged = await parquetOf("damaged", `${base.replace("range(50)", "range(60000)")} ORDER BY i`);
    // the header of the prompt ids' page of a later row group (the dictionary query reads it)
    await damageParquetPage(damaged, "max(data_page_offset)", "path_in_schema = 'prompt_id'");
    expect(await planColumnarRecords([a, damaged], {})).toBeNull();
    await expect(scanRecords([a, damaged], {}, { spill: true })).rejects.toMatchObject({
      code: "input",
      message: expect.stringMatching(/^DuckDB (cannot read the file|stopped reading)/),
      where: { file: damaged },
    });
  });

  it("rejects an empty file as an input error", async () => {
    const empty = await parquetOf("empty", `${base} LIMIT 0`);
    await expect(planColumnarRecords([empty], {})).rejects.toMatchObject({
      code: "input",
      message: "empty file: no records",
      where: { file: empty },
    });
  });
});
