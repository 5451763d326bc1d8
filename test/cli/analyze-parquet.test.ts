import { beforeAll, describe, expect, it } from "vitest";
import { richLog, toParquet, writeJsonl } from "../analyze/generate.js";
import { runOpenloop } from "../helpers/cli.js";

let jsonl: string;
let parquet: string;

beforeAll(async () => {
  jsonl = writeJsonl(richLog(21));
  parquet = await toParquet(jsonl);
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
