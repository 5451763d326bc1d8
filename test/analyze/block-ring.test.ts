import { describe, expect, it } from "vitest";
import { RingReader, RingWriter } from "../../src/analyze/block-ring.js";
import type { TallyBlock } from "../../src/analyze/tally.js";

/** A block of `rows` rows whose values depend on `k` (2 signals, 1 feature, gold). */
function ringBlock(k: number, rows: number): TallyBlock {
  const ints = (f: (r: number) => number) => Int32Array.from({ length: rows }, (_, r) => f(r));
  return {
    rows,
    cellCount: 10 + k,
    expectCells: 20 + k,
    strataCount: 30 + k,
    expectStrata: 40 + k,
    scale: 1.5 + k,
    cell: ints((r) => r + k),
    stratum: ints((r) => 2 * r + k),
    responseHash: Float64Array.from({ length: rows }, (_, r) => (r % 3 === 0 ? -1 : 2 ** 40 + r * k)),
    gold: ints((r) => (r % 3) - 1),
    levels: [0, 1].map((s) => Int8Array.from({ length: rows }, (_, r) => ((r + s + k) % 5) - 1)),
    bins: [Int8Array.from({ length: rows }, (_, r) => (r * k) % 4)],
  };
}

/** The first `rows` entries of each array of a block, and its numbers. */
function contents(block: TallyBlock) {
  const cut = (values: ArrayLike<number>) => Array.from(values).slice(0, block.rows);
  return {
    ...block,
    cell: cut(block.cell),
    stratum: cut(block.stratum),
    responseHash: cut(block.responseHash),
    gold: block.gold === null ? null : cut(block.gold),
    levels: block.levels.map(cut),
    bins: block.bins.map(cut),
  };
}

describe("the ring of shared slots", () => {
  it("gives the reader each block written, slot after slot, and reuses freed slots", () => {
    const writer = new RingWriter(2, 1, true);
    const reader = new RingReader(writer.memory);
    for (let k = 0; k < 9; k++) {
      const block = ringBlock(k, 100 + 37 * k);
      const header = writer.write(block);
      expect(header.slot).toBe(k % 4);
      expect(contents(reader.block(header))).toEqual(contents(block));
      reader.free(header.slot);
    }
  });

  it("stops a writer waiting for a slot once the reader's thread has ended", () => {
    const writer = new RingWriter(2, 1, false);
    const reader = new RingReader(writer.memory);
    for (let k = 0; k < 4; k++) writer.write({ ...ringBlock(k, 10), gold: null });
    reader.end();
    expect(() => writer.write({ ...ringBlock(4, 10), gold: null })).toThrow(/metric worker thread failed/);
  });
});
