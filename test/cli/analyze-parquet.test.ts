import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { richLog, toParquet, writeJsonl } from "../analyze/generate.js";
import { runOpenloop } from "../helpers/cli.js";
import { damageParquetPage } from "../helpers/parquet.js";

let jsonl: string;
let parquet: string;
/** 9,600 records with 400 prompts per iteration, as JSONL and as Parquet with row groups of 2,048 rows */
let large: string;
let largeParquet: string;

beforeAll(async () => {
  jsonl = writeJsonl(richLog(21));
  parquet = await toParquet(jsonl);
  const rows = Array.from({ length: 10 }, (_, k) =>
    richLog(30 + k).map((r) => ({ ...r, prompt_id: `${r.prompt_id}-${k}` })),
  ).flat();
  large = writeJsonl(rows);
  largeParquet = large.replace(/\.jsonl$/, ".parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM read_json('${large}', format = 'newline_delimited', sample_size = -1)) TO '${largeParquet}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
  );
  const groups = await connection.runAndReadAll(
    `SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${largeParquet}')`,
  );
  expect(Number(groups.getRowsJS()[0][0])).toBeGreaterThan(3);
  connection.closeSync();
  instance.closeSync();
});

/** The output of `openloop analyze FILE ...args` with the file name and format replaced. */
function output(file: string, args: string[]): string {
  const result = runOpenloop(["analyze", file, ...args]);
  expect(result.code).toBe(0);
  const format = file.endsWith(".parquet") ? "parquet" : "jsonl";
  return result.stdout.replaceAll(file, "FILE").replaceAll(`"format": "${format}"`, '"format": "F"');
}

describe("openloop analyze: Parquet and JSONL of the same records", () => {
  it("print the same --json document, byte for byte (modulo the file name and format)", () => {
    const args = ["--json", "--seed", "5", "--bootstrap", "30", "--permutations", "29"];
    const fromParquet = output(parquet, args);
    expect(JSON.parse(fromParquet).inputs.records).toBe(960);
    expect(fromParquet).toBe(output(jsonl, args));
  });

  it("print the same terminal summary", () => {
    const args = ["--bootstrap", "10", "--permutations", "9"];
    expect(output(parquet, args)).toBe(output(jsonl, args));
  });
});

describe("openloop analyze: Parquet with many row groups (read by worker threads)", () => {
  it("prints the same --json document as the JSONL of the same records", () => {
    const args = ["--json", "--seed", "2", "--bootstrap", "10", "--permutations", "9"];
    const fromParquet = output(largeParquet, args);
    const doc = JSON.parse(fromParquet);
    expect(doc.inputs.records).toBe(9600);
    expect(fromParquet).toBe(output(large, args));
  });

  it("falls back to the row path, with its error and row, on a row without signals", async () => {
    const rows = richLog(40).map(
      (r, i): Record<string, unknown> => ({ ...r, prompt_id: `${r.prompt_id}-${Math.floor(i / 480)}` }),
    );
    const all = Array.from({ length: 10 }, () => rows).flat();
    all[7000] = { ...all[7000], signals: { pass: null, conf: null, score: null } };
    const file = writeJsonl(all);
    const bad = file.replace(/\.jsonl$/, ".parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM read_json('${file}', format = 'newline_delimited', sample_size = -1)) TO '${bad}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
    connection.closeSync();
    instance.closeSync();
    const result = runOpenloop(["analyze", bad, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:7001`);
    expect(result.stderr).toContain("no signal");
  });

  it("reports a damaged page a reader meets as an input error naming the file", async () => {
    // the header of a later row group's response page: the plan's queries do not read responses
    const damaged = largeParquet.replace(/\.parquet$/, "-damaged.parquet");
    await damageParquetPage(
      largeParquet,
      "data_page_offset",
      "row_group_id = 3 AND path_in_schema = 'response'",
      damaged,
    );
    const result = runOpenloop(["analyze", damaged, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(`^openloop: ${damaged}: DuckDB (cannot read the file|stopped reading after row \\d+)`),
    );
  });

  it("works from another directory", () => {
    const cwd = mkdtempSync(join(tmpdir(), "openloop-cwd-"));
    try {
      const result = runOpenloop(["analyze", largeParquet, "--json", "--bootstrap", "0"], { cwd });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).inputs.records).toBe(9600);
    } finally {
      rmSync(cwd, { recursive: true });
    }
  });
});
