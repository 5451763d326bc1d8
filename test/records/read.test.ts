import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import type { DiscreteColumn, ReadEngine } from "../../src/records/index.js";
import { detectFormat, readColumns, readRows, readTable } from "../../src/records/index.js";
import { damageParquetPage } from "../helpers/parquet.js";

let dir: string;
const path = (name: string) => join(dir, name);

async function sql(statement: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(statement);
  connection.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "openloop-read-"));
  writeFileSync(
    path("t.csv"),
    'id,name,score,flag\n1,"a, b",0.5,true\n2,c,1.25,false\n3,"multi\nline",-2,true\n',
  );
  writeFileSync(
    path("t.jsonl"),
    '{"id":1,"name":"a, b","score":0.5,"flag":true}\n\n{"id":2,"name":"c","score":1.25,"flag":false}\r\n{"id":3,"name":"multi\\nline","score":-2,"flag":true}',
  );
  await sql(
    `COPY (SELECT * FROM (VALUES (1, 'a, b', 0.5, true), (2, 'c', 1.25, false), (3, E'multi\\nline', -2.0, true)) t(id, name, score, flag)) TO '${path("t.parquet")}' (FORMAT parquet)`,
  );
  await sql(
    `COPY (SELECT * FROM (VALUES (1, 0.5), (2, 'NaN'::DOUBLE)) t(id, x)) TO '${path("nan.parquet")}' (FORMAT parquet)`,
  );
  await sql(
    `COPY (SELECT * FROM (VALUES (1, 0.5), (2, NULL)) t(id, x)) TO '${path("null.parquet")}' (FORMAT parquet)`,
  );
  writeFileSync(path("empty.csv"), "a,b\n");
  writeFileSync(path("nan.csv"), "x,y\n1,2\nNaN,3\n");
  writeFileSync(path("inf.jsonl"), '{"x":1}\n{"x":-Infinity}\n');
  writeFileSync(path("mixed.jsonl"), '{"x":1}\n{"x":2}\n{"x":"three"}\n');
  writeFileSync(path("mixed.csv"), "x\n1\n2\nthree\n");
  writeFileSync(path("hole.csv"), "x,y\n1,2\n,3\n");
  writeFileSync(path("ragged.csv"), "x,y\n1,2\n3\n");
  writeFileSync(path("bad.jsonl"), '{"x":1}\n{"x":\n');
  writeFileSync(path("array.jsonl"), "[1,2]\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectError(run: () => Promise<unknown>, code: string, where: object, message: string) {
  return expect(run()).rejects.toSatisfy((error: unknown) => {
    expect(error).toBeInstanceOf(OpenloopError);
    const e = error as OpenloopError;
    expect(e.code).toBe(code);
    expect(e.where).toEqual(where);
    expect(e.message).toContain(message);
    return true;
  });
}

describe("detectFormat", () => {
  it.each([
    ["a.csv", "csv"],
    ["a.JSONL", "jsonl"],
    ["a.ndjson", "jsonl"],
    ["a.json", "jsonl"],
    ["a.parquet", "parquet"],
    ["dir.x/a.pq", "parquet"],
  ])("%s is %s", (file, format) => expect(detectFormat(file)).toBe(format));

  it("rejects an unknown extension naming the file", () => {
    expect(() => detectFormat("a.xlsx")).toThrow(/table format/);
  });
});

describe("readRows", () => {
  it("streams CSV rows as strings with the line each starts on", async () => {
    const rows = [];
    for await (const r of readRows(path("t.csv"))) rows.push(r);
    expect(rows).toEqual([
      { row: { id: "1", name: "a, b", score: "0.5", flag: "true" }, line: 2 },
      { row: { id: "2", name: "c", score: "1.25", flag: "false" }, line: 3 },
      { row: { id: "3", name: "multi\nline", score: "-2", flag: "true" }, line: 4 },
    ]);
  });

  it("streams JSONL rows as JSON values, skipping blank lines, with file lines", async () => {
    const rows = [];
    for await (const r of readRows(path("t.jsonl"))) rows.push(r);
    expect(rows.map((r) => r.line)).toEqual([1, 3, 4]);
    expect(rows[2].row).toEqual({ id: 3, name: "multi\nline", score: -2, flag: true });
  });

  it("streams Parquet rows through DuckDB with row numbers, integers as numbers", async () => {
    const rows = [];
    for await (const r of readRows(path("t.parquet"))) rows.push(r);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(rows[0].row).toEqual({ id: 1, name: "a, b", score: 0.5, flag: true });
  });

  it.each([
    ["bad.jsonl", { line: 2 }, "malformed JSON"],
    ["array.jsonl", { line: 1 }, "must be a JSON object"],
    ["inf.jsonl", { line: 2, column: "x" }, "non-finite value -Infinity"],
    ["ragged.csv", { line: 3 }, "the row has 1 fields but the header has 2"],
  ])("rejects %s at its line", async (name, where, message) => {
    await expectError(
      async () => {
        for await (const _ of readRows(path(name)));
      },
      "input",
      { file: path(name), ...where },
      message,
    );
  });

  it("gives integers inside Parquet structs and lists as numbers (beyond 2^53 as decimal strings)", async () => {
    const file = path("nested.parquet");
    await sql(
      `COPY (SELECT {'a': 7::BIGINT, 'b': {'c': 9007199254740993::BIGINT}} AS s, [1::BIGINT, 2::BIGINT] AS l) TO '${file}' (FORMAT parquet)`,
    );
    const rows = [];
    for await (const r of readRows(file)) rows.push(r.row);
    expect(rows).toEqual([{ s: { a: 7, b: { c: "9007199254740993" } }, l: [1, 2] }]);
    expect(JSON.stringify(rows[0].s)).toBe('{"a":7,"b":{"c":"9007199254740993"}}');
  });

  it("reports a missing file as an io error naming it", async () => {
    await expectError(
      async () => {
        for await (const _ of readRows(path("nope.csv")));
      },
      "io",
      { file: path("nope.csv") },
      "file not found",
    );
  });

  it("fails on a Parquet file with a damaged page instead of ending early (rows and columns)", async () => {
    // 6 row groups; the page header of the 5th one's text column is overwritten
    const file = path("damaged.parquet");
    await sql(
      `COPY (SELECT i AS id, 'text ' || hash(i) AS text FROM range(60000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`,
    );
    await damageParquetPage(file, "data_page_offset", "row_group_id = 4 AND path_in_schema = 'text'");
    const damaged = /DuckDB (cannot read the file|stopped reading after row \d+, before row 60000)/;
    await expectError(
      async () => {
        for await (const _ of readRows(file));
      },
      "input",
      { file },
      "DuckDB",
    );
    await expect(async () => {
      for await (const _ of readRows(file));
    }).rejects.toThrow(damaged);
    await expect(readColumns(file, ["text"])).rejects.toThrow(damaged);
  });

  it.each([
    [
      "late.csv",
      (i: number) => (i === 0 ? "x,y\n" : ""),
      (i: number) => `${i === 250000 ? "abc" : i / 7},${i % 3}\n`,
      /Conversion Error: CSV Error on Line: 250002/,
    ],
    [
      "late.jsonl",
      () => "",
      (i: number) => `{"x": ${i === 250000 ? '"abc"' : i / 7}, "y": ${i % 3}}\n`,
      /JSON transform error .* in line 250001: Failed to cast value to numerical: "abc"/,
    ],
  ])(
    "fails through DuckDB on a value it cannot convert far into %s, with DuckDB's error, instead of ending early",
    async (name, head, line, reason) => {
      // DuckDB's streaming read ends at such a row as if the file ended there (rows are counted after)
      const file = path(name);
      const parts: string[] = [];
      for (let i = 0; i < 300000; i++) parts.push(head(i) + line(i));
      writeFileSync(file, parts.join(""));
      const error = await readTable(file, ["x", "y"], { engine: "duckdb" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenloopError);
      expect((error as OpenloopError).code).toBe("input");
      expect((error as OpenloopError).where).toEqual({ file });
      expect((error as Error).message).toMatch(/^DuckDB cannot read the file: /);
      expect((error as Error).message).toMatch(reason);
    },
  );
});

describe.each<[string, ReadEngine]>([
  ["t.csv", "stream"],
  ["t.csv", "duckdb"],
  ["t.jsonl", "stream"],
  ["t.jsonl", "duckdb"],
  ["t.parquet", "auto"],
])("readTable(%s, engine %s)", (name, engine) => {
  it("reads typed columns and detects their kinds", async () => {
    const table = await readTable(path(name), ["id", "name", "score", "flag"], { engine });
    expect(table.n).toBe(3);
    const { id, name: text, score, flag } = table.columns;
    expect(id.kind).toBe("discrete");
    expect(Array.from((id as DiscreteColumn).codes)).toEqual([0, 1, 2]);
    expect(text.kind).toBe("discrete");
    expect((text as DiscreteColumn).levels).toEqual(["a, b", "c", "multi\nline"]);
    expect(score.kind).toBe("continuous");
    expect(Array.from(score.values ?? [])).toEqual([0.5, 1.25, -2]);
    expect(flag.kind).toBe("discrete");
    expect(Array.from((flag as DiscreteColumn).codes)).toEqual([0, 1, 0]);
  });

  it("honours forced kinds", async () => {
    const table = await readTable(path(name), ["id", "score"], {
      engine,
      continuous: ["id"],
      discrete: ["score"],
    });
    expect(table.columns.id.kind).toBe("continuous");
    expect(table.columns.score.kind).toBe("discrete");
  });

  it("names a missing column and lists the file's columns", async () => {
    await expectError(
      () => readTable(path(name), ["id", "nope"], { engine }),
      "column",
      { file: path(name), column: "nope" },
      `column not found (${name === "t.jsonl" && engine === "stream" ? "the first row has" : "the file has"}: id, name, score, flag)`,
    );
  });

  it("refuses text as a continuous column", async () => {
    await expect(readTable(path(name), ["name"], { engine, continuous: ["name"] })).rejects.toThrow(
      /string value "a, b" in a continuous column/,
    );
  });
});

describe("readTable bad input", () => {
  it.each([
    ["nan.csv", ["x"], { line: 3, column: "x" }, "non-finite value 'NaN'"],
    ["inf.jsonl", ["x"], { line: 2, column: "x" }, "non-finite value -Infinity"],
    [
      "mixed.jsonl",
      ["x"],
      { line: 3, column: "x" },
      'mixed types: number values (the first at line 1) and string "three"',
    ],
    [
      "mixed.csv",
      ["x"],
      { line: 4, column: "x" },
      'mixed types: number values (the first at line 2) and string "three"',
    ],
    ["hole.csv", ["x", "y"], { line: 3, column: "x" }, "missing value"],
    ["nan.parquet", ["x"], { column: "x" }, "non-finite value NaN (estimates need finite numbers) (row 2)"],
    ["null.parquet", ["x"], { column: "x" }, "missing value (row 2)"],
    ["empty.csv", ["a"], {}, "no rows"],
  ])("%s: %s", async (name, columns, where, message) => {
    await expectError(() => readTable(path(name), columns), "input", { file: path(name), ...where }, message);
  });

  it("applies the same checks to CSV read through DuckDB, naming the row", async () => {
    await expectError(
      () => readTable(path("mixed.csv"), ["x"], { engine: "duckdb" }),
      "input",
      { file: path("mixed.csv"), column: "x" },
      'mixed types: number values (the first at row 1) and string "three" (row 3)',
    );
    await expectError(
      () => readTable(path("hole.csv"), ["x"], { engine: "duckdb" }),
      "input",
      { file: path("hole.csv"), column: "x" },
      "missing value (row 2)",
    );
  });

  it("lets a forced-discrete column hold mixed types", async () => {
    const table = await readTable(path("mixed.jsonl"), ["x"], { discrete: ["x"] });
    const x = table.columns.x as DiscreteColumn;
    expect(x.valueType).toBe("mixed");
    expect(x.levels).toEqual(["three", 1, 2]);
    expect(Array.from(x.codes)).toEqual([1, 2, 0]);
  });
});

describe("readColumns", () => {
  it.each(["t.csv", "t.jsonl", "t.parquet"])(
    "returns numbers as Float64Array and the rest as values (%s)",
    async (name) => {
      const { n, columns } = await readColumns(path(name), ["score", "name", "flag"]);
      expect(n).toBe(3);
      expect(columns.score).toEqual(new Float64Array([0.5, 1.25, -2]));
      expect(columns.name).toEqual(["a, b", "c", "multi\nline"]);
      expect(columns.flag).toEqual(name === "t.csv" ? ["true", "false", "true"] : [true, false, true]);
    },
  );
});

describe("readTable engines agree", () => {
  const cell = fc.oneof(
    fc.constantFrom("a", "b, c", 'say "x"', "line\nbreak", "é"),
    fc.integer({ min: -5, max: 5 }),
    fc.integer({ min: -100_000, max: 100_000 }).map((i) => i / 1000),
    fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
  );
  it("openloop's CSV/JSONL parsers and DuckDB read the same kinds, codes and values, or fail alike", async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cell, fc.boolean()), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        async (rows, force) => {
          round++;
          const quote = (v: unknown) => (typeof v === "string" ? `"${v.replaceAll('"', '""')}"` : String(v));
          const csv = path(`p${round}.csv`);
          const jsonl = path(`p${round}.jsonl`);
          writeFileSync(csv, `v,b\n${rows.map(([v, b]) => `${quote(v)},${b}`).join("\n")}\n`);
          writeFileSync(jsonl, `${rows.map(([v, b]) => JSON.stringify({ v, b })).join("\n")}\n`);
          for (const file of [csv, jsonl]) {
            const read = (engine: ReadEngine) =>
              readTable(file, ["v", "b"], { engine, discrete: force ? ["v"] : [] }).then(
                (t) => t,
                (e: OpenloopError) => e.message.replace(/ \(row \d+\)$/, "").replace(/(line|row) \d+/, "N"),
              );
            const [ours, duck] = await Promise.all([read("stream"), read("duckdb")]);
            if (typeof ours === "string" || typeof duck === "string") {
              expect(duck).toEqual(ours);
              continue;
            }
            expect(duck.n).toBe(ours.n);
            for (const name of ["v", "b"]) {
              const [a, b] = [ours.columns[name], duck.columns[name]];
              expect(b.kind).toBe(a.kind);
              if (a.kind === "continuous" || b.kind === "continuous") {
                expect(Array.from(b.values ?? [])).toEqual(Array.from(a.values ?? []));
              } else {
                expect(Array.from(b.codes)).toEqual(Array.from(a.codes));
                expect(b.levels.map(String)).toEqual(a.levels.map(String));
              }
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
