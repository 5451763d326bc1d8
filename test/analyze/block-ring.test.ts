import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type BlockHeader, RingReader, RingWriter } from "../../src/analyze/block-ring.js";
import { MetricThread } from "../../src/analyze/metric-thread.js";
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

/** The header of a write that did not have to wait (fails the test if it did). */
function written(header: BlockHeader | Promise<BlockHeader>): BlockHeader {
  if (header instanceof Promise) throw new Error("the write waited for a slot");
  return header;
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
      const header = written(writer.write(block));
      expect(header.slot).toBe(k % 4);
      expect(contents(reader.block(header))).toEqual(contents(block));
      reader.free(header.slot);
    }
  });

  it("makes a write wait, without blocking, while its slot is full, and copies the block once it is freed", async () => {
    const writer = new RingWriter(2, 1, true);
    const reader = new RingReader(writer.memory);
    const headers = [0, 1, 2, 3].map((k) => written(writer.write(ringBlock(k, 20))));
    const block = ringBlock(4, 50);
    const waiting = writer.write(block);
    expect(waiting).toBeInstanceOf(Promise);
    // the event loop runs while the write waits: free the slot it waits for from a timer
    setTimeout(() => reader.free(headers[0].slot), 20);
    const header = await waiting;
    expect(header.slot).toBe(0);
    expect(contents(reader.block(header))).toEqual(contents(block));
    // the next write goes to the next slot, still full
    expect(writer.write(ringBlock(5, 5))).toBeInstanceOf(Promise);
  });

  it.each([
    ["the reader's thread (its exit handler)", (_w: RingWriter, r: RingReader) => r.end()],
    ["the main thread (the thread's exit seen here)", (w: RingWriter) => w.end()],
  ])("stops a write waiting for a slot once the ring is ended by %s", async (_by, end) => {
    const writer = new RingWriter(2, 1, false);
    const reader = new RingReader(writer.memory);
    for (let k = 0; k < 4; k++) written(writer.write({ ...ringBlock(k, 10), gold: null }));
    const waiting = writer.write({ ...ringBlock(4, 10), gold: null });
    setTimeout(() => end(writer, reader), 20);
    await expect(waiting).rejects.toThrow(/metric worker thread failed: it ended while counting/);
  });

  it("fails the tally, instead of waiting for ever, when the thread exits without ending the ring itself", async () => {
    // a stand-in metric worker that says it is ready, then exits on the tally's first message
    // without touching the ring (as a thread stopped at its heap limit: no exit handler runs)
    const dir = mkdtempSync(join(tmpdir(), "openloop-ring-"));
    const file = join(dir, "worker.mjs");
    writeFileSync(
      file,
      `import { parentPort } from "node:worker_threads";
parentPort.postMessage({ ready: true });
parentPort.on("message", () => process.exit(3));
`,
    );
    const thread = new MetricThread(pathToFileURL(file));
    while (!thread.isReady) await new Promise((resolve) => setTimeout(resolve, 5));
    const tables = thread.countTables([5, 5], [4], false);
    const block = { ...ringBlock(1, 10), gold: null };
    // the four slots fill; nobody frees them
    for (let k = 0; k < 4; k++) expect(tables.add(block)).toBeUndefined();
    await expect(tables.add(block)).rejects.toThrow(/metric worker thread failed: it ended while counting/);
    await thread.close();
  });
});
