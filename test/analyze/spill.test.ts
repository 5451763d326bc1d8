import { existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SPILL_BLOCK_ROWS, Spill } from "../../src/analyze/spill.js";

interface Row {
  prompt: number;
  iteration: number;
  cls: number;
  hash: number;
  gold: number;
  values: number[];
}

function writeAll(spill: Spill, rows: Row[]): void {
  const values = new Float64Array(64);
  for (const row of rows) {
    values.set(row.values);
    spill.write(row.prompt, row.iteration, row.cls, row.hash, row.gold, values, row.values.length);
  }
}

/** The rows as read back, with `width` values each (NaN where missing; -0 as 0, see `expected`). */
function readAll(spill: Spill, width: number): Row[] {
  const out: Row[] = [];
  for (const block of spill.readBlocks()) {
    const columns = Array.from({ length: width }, (_, id) => block.values(id));
    for (let r = 0; r < block.rows; r++) {
      out.push({
        prompt: block.prompt[r],
        iteration: block.iteration[r],
        cls: block.cls[r],
        hash: block.responseHash[r],
        gold: block.gold[r],
        values: columns.map((c) => (c === null ? Number.NaN : c[r] + 0)),
      });
    }
  }
  return out;
}

/** Rows as they should read back: `width` values each; -0 compares as 0 (the spill may store -0 as 0). */
function expected(rows: Row[], width: number): Row[] {
  return rows.map((row) => ({
    ...row,
    values: Array.from({ length: width }, (_, i) => (i < row.values.length ? row.values[i] + 0 : Number.NaN)),
  }));
}

/** A deterministic mix of every kind of column: codes, 53-bit hashes, small and large numbers, floats, gaps. */
function mixedRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    // variables appear over time, as in a scan: 2 at first, 5 from row 100, 7 from row 20,000
    const width = i < 100 ? 2 : i < 20000 ? 5 : 7;
    const values = [
      i % 2, // binary
      i % 3 === 0 ? Number.NaN : (i % 5) / 10, // 64-bit floats with gaps
      1000 + (i % 977), // 16-bit integers
      (i * 2654435761) % 4294967296, // beyond 32-bit integers
      0.5 + (i % 4) * 0.25, // exact as 32-bit floats
      7, // constant
      i < 30000 ? Number.NaN : -3, // missing, then constant
    ].slice(0, width);
    rows.push({
      prompt: Math.floor(i / 7),
      iteration: 1e12 + (i % 3),
      cls: i % 11,
      hash: i % 13 === 0 ? -1 : (i * 7919 * 1048573) % 2 ** 53,
      gold: (i % 3) - 1,
      values,
    });
  }
  return rows;
}

describe("spill", () => {
  it("gives back every row exactly, in order, across blocks kept in memory", () => {
    const rows = mixedRows(Math.floor(SPILL_BLOCK_ROWS * 2.5));
    const spill = new Spill();
    writeAll(spill, rows);
    expect(spill.rows).toBe(rows.length);
    expect(readAll(spill, 7)).toEqual(expected(rows, 7));
    expect(spill.path).toBeNull(); // within the memory budget: no file
    spill.dispose();
  });

  it("gives back the same rows from the temporary file beyond the memory budget, and removes it", () => {
    const rows = mixedRows(Math.floor(SPILL_BLOCK_ROWS * 2.5));
    const spill = new Spill({ memoryBytes: 100_000 });
    writeAll(spill, rows);
    expect(readAll(spill, 7)).toEqual(expected(rows, 7));
    // reading twice gives the same rows (the file is read again)
    expect(readAll(spill, 7)).toEqual(expected(rows, 7));
    const path = spill.path as string;
    expect(existsSync(path)).toBe(true);
    spill.dispose();
    expect(existsSync(path)).toBe(false);
  });

  it("reports a variable with no value in a block as absent, and rows with fewer values as missing", () => {
    const spill = new Spill();
    writeAll(spill, [
      { prompt: 0, iteration: 0, cls: 0, hash: 5, gold: -1, values: [1, Number.NaN, 2] },
      { prompt: 1, iteration: 0, cls: 0, hash: 6, gold: -1, values: [3] },
    ]);
    let blocks = 0;
    for (const block of spill.readBlocks()) {
      blocks++;
      expect(block.rows).toBe(2);
      expect(Array.from(block.values(0)?.subarray(0, 2) ?? [])).toEqual([1, 3]);
      expect(block.values(1)).toBeNull();
      expect(Array.from(block.values(2)?.subarray(0, 2) ?? [])).toEqual([2, Number.NaN]);
      expect(block.values(3)).toBeNull();
    }
    expect(blocks).toBe(1);
    spill.dispose();
  });

  it("rejects a prompt or class code that is not a 32-bit integer", () => {
    const spill = new Spill();
    writeAll(spill, [{ prompt: 1.5, iteration: 0, cls: 0, hash: -1, gold: -1, values: [] }]);
    expect(() => spill.readBlocks().next()).toThrow(/not a 32-bit integer/);
    spill.dispose();
  });

  it("round-trips any doubles in any column (property)", () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -200, max: 200 }),
      fc.integer(),
      fc.constant(Number.NaN),
      fc.float({ noNaN: true }),
    );
    const row = fc.record({
      prompt: fc.nat(1 << 20),
      iteration: fc.nat(),
      cls: fc.nat(1000),
      hash: fc.oneof(fc.constant(-1), fc.maxSafeNat()),
      gold: fc.integer({ min: -1, max: 1 }),
      values: fc.array(value, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.boolean(), (rows, toFile) => {
        const spill = new Spill({ memoryBytes: toFile ? 0 : undefined });
        writeAll(spill, rows);
        const read = readAll(spill, 4);
        spill.dispose();
        expect(read).toEqual(expected(rows, 4));
      }),
      { numRuns: 200 },
    );
  });

  it("writeColumns stores chunks exactly as write does row by row, across block ends (property)", () => {
    const value = fc.oneof(fc.double(), fc.integer({ min: -200, max: 200 }), fc.constant(Number.NaN));
    // chunks with any number of variables (fewer than before: the rest are missing)
    const chunk = fc.record({
      rows: fc.integer({ min: 1, max: 7000 }),
      variables: fc.nat(3),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(
        fc.array(chunk, { minLength: 1, maxLength: 6 }),
        fc.array(value, { minLength: 1, maxLength: 50 }),
        (chunks, pool) => {
          const byRow = new Spill();
          const byColumn = new Spill();
          const values = new Float64Array(8);
          let k = 0;
          const next = () => pool[k++ % pool.length];
          for (const { rows, variables, seed } of chunks) {
            const prompt = Int32Array.from({ length: rows }, (_, r) => (r * 7 + seed) % 1000);
            const iteration = Float64Array.from({ length: rows }, (_, r) => (r >> 5) + seed);
            const cls = Int32Array.from({ length: rows }, (_, r) => (r + seed) % 3);
            const hash = Float64Array.from({ length: rows }, (_, r) => (r % 4 === 0 ? -1 : r * 1e9 + seed));
            const gold = Float64Array.from({ length: rows }, (_, r) => ((r + seed) % 3) - 1);
            const columns = Array.from({ length: variables }, () =>
              Float64Array.from({ length: rows }, next),
            );
            for (let r = 0; r < rows; r++) {
              for (let i = 0; i < variables; i++) values[i] = columns[i][r];
              byRow.write(prompt[r], iteration[r], cls[r], hash[r], gold[r], values, variables);
            }
            byColumn.writeColumns(rows, prompt, iteration, cls, hash, gold, columns);
          }
          expect(byColumn.rows).toBe(byRow.rows);
          const [a, b] = [readAll(byColumn, 3), readAll(byRow, 3)];
          byRow.dispose();
          byColumn.dispose();
          expect(a).toEqual(b);
        },
      ),
      { numRuns: 12 },
    );
  });
});
