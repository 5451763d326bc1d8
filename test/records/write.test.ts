import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRecordWriter, forEachRecord, type RolloutRecord } from "../../src/records/index.js";

const records: RolloutRecord[] = [
  {
    iteration: 0,
    prompt_id: "q1",
    response: "a",
    class: "1",
    signals: { pass: true, score: 0.5 },
    gold: true,
  },
  {
    iteration: 1,
    prompt_id: "q2",
    response: "b",
    signals: { pass: false, score: 0.25 },
    features: { src: "x" },
  },
];

describe("createRecordWriter", () => {
  it.each(["out.jsonl", "out.parquet"])("writes %s that reads back as the same records", async (name) => {
    const dir = mkdtempSync(join(tmpdir(), "openloop-write-"));
    const file = join(dir, name);
    const writer = createRecordWriter(file);
    for (const r of records) await writer.write(r);
    expect(existsSync(file)).toBe(false); // nothing in place before close
    await writer.close();
    expect(readdirSync(dir)).toEqual([name]);
    const back: RolloutRecord[] = [];
    await forEachRecord([file], {}, ({ record }) => {
      back.push(record);
    });
    expect(back.map((r) => [r.prompt_id, r.iteration, r.signals.pass, r.signals.score])).toEqual([
      ["q1", 0, true, 0.5],
      ["q2", 1, false, 0.25],
    ]);
  });

  it("validates records and leaves nothing behind on abort", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openloop-write-"));
    const writer = createRecordWriter(join(dir, "x.jsonl"));
    await expect(writer.write({ prompt_id: "", signals: { a: 1 } })).rejects.toThrow(
      /invalid rollout record/,
    );
    writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("writes JSON Lines, one record per line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openloop-write-"));
    const file = join(dir, "x.jsonl");
    const writer = createRecordWriter(file);
    await writer.write(records[0]);
    await writer.close();
    expect(JSON.parse(readFileSync(file, "utf8").trim())).toEqual(records[0]);
  });
});
