import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openJournal } from "../../src/run/journal.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function journalPath() {
  const dir = mkdtempSync(join(tmpdir(), "openloop-journal-"));
  dirs.push(dir);
  return join(dir, "journal.jsonl");
}

describe("run journal", () => {
  it("appends entries that a resumed run reads back in order", () => {
    const path = journalPath();
    const fresh = openJournal<{ unit: number }>(path, { resume: false });
    expect(fresh.entries).toEqual([]);
    fresh.journal.append({ unit: 1 });
    fresh.journal.append({ unit: 2 });
    fresh.journal.close();
    const resumed = openJournal<{ unit: number }>(path, { resume: true });
    expect(resumed.entries).toEqual([{ unit: 1 }, { unit: 2 }]);
    resumed.journal.append({ unit: 3 });
    resumed.journal.close();
    expect(readFileSync(path, "utf8")).toBe('{"unit":1}\n{"unit":2}\n{"unit":3}\n');
  });

  it("cuts a torn last line left by a crash and appends after the last complete one", () => {
    const path = journalPath();
    writeFileSync(path, '{"unit":1}\n{"unit":2}\n{"un');
    const resumed = openJournal<{ unit: number }>(path, { resume: true });
    expect(resumed.entries).toEqual([{ unit: 1 }, { unit: 2 }]);
    expect(resumed.truncatedBytes).toBe(4);
    resumed.journal.append({ unit: 3 });
    resumed.journal.close();
    expect(readFileSync(path, "utf8")).toBe('{"unit":1}\n{"unit":2}\n{"unit":3}\n');
  });

  it("refuses to start a fresh run over an existing one", () => {
    const path = journalPath();
    writeFileSync(path, '{"unit":1}\n');
    expect(() => openJournal(path, { resume: false })).toThrow(/a run already exists/);
  });

  it("refuses to resume when there is no journal", () => {
    expect(() => openJournal(journalPath(), { resume: true })).toThrow(/nothing to resume/);
  });

  it("names the line of a corrupt complete entry", () => {
    const path = journalPath();
    writeFileSync(path, '{"unit":1}\n');
    appendFileSync(path, "not json\n");
    try {
      openJournal(path, { resume: true });
      expect.unreachable();
    } catch (error) {
      expect((error as { where: { line: number } }).where.line).toBe(2);
    }
  });
});
