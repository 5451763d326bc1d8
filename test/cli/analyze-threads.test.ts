import { once } from "node:events";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { MIN_PARALLEL_BYTES } from "../../src/analyze/metric-thread.js";
import type { Tally } from "../../src/analyze/tally.js";
import { richLog, writeJsonl } from "../analyze/generate.js";
import { runOpenloop } from "../helpers/cli.js";

/** A document as `printJson` prints it. */
function printed(doc: unknown): string {
  return `${JSON.stringify(doc, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** The built library (dist/), where the worker script exists. */
async function builtAnalyze(): Promise<typeof analyzeRecords> {
  return (await built("index")).analyzeRecords;
}

/** A module of the built dist/analyze. */
async function built(module: string) {
  return import(pathToFileURL(new URL(`../../dist/analyze/${module}.js`, import.meta.url).pathname).href);
}

let small: string;
/** over MIN_PARALLEL_BYTES: 16 copies of the rich log under distinct prompt ids, long prompts (15,360 records) */
let large: string;

beforeAll(() => {
  small = writeJsonl(richLog(7));
  large = writeJsonl(
    Array.from({ length: 16 }, (_, k) =>
      richLog(50 + k).map((r) => ({
        ...r,
        prompt_id: `${r.prompt_id}-${k}`,
        prompt: `${r.prompt} ${"Explain each step. ".repeat(15)}`,
      })),
    ).flat(),
  );
});

describe("analyze with the metric worker thread (built library and CLI)", () => {
  it("gives the same document with and without the thread (library from dist/)", async () => {
    const analyze = await builtAnalyze();
    const options = { seed: 11, bootstrap: 60, permutations: 99 };
    const threaded = await analyze([small], { ...options, threads: true });
    const single = await analyze([small], { ...options, threads: false });
    expect(printed(threaded)).toBe(printed(single));
    // and the same as the sources (no worker script: one thread)
    expect(printed(threaded)).toBe(printed(await analyzeRecords([small], options)));
    // the document has intervals and tested channels, so both parts of the thread's work were compared
    const channel = threaded.signals[0].hacking_channels[0];
    expect(channel.permutations).toBeGreaterThan(0);
    expect(threaded.signals[0].overall.bits_per_sample.ci).toBeDefined();
  });

  it("counts the tally's tables in the thread, which keeps the feature tables: tally and channels are those counted here", async () => {
    const [
      { scanRecords },
      { tallyRecords },
      { discretise },
      { buildLayout },
      { hackingChannels },
      { Batches },
    ] = await Promise.all(["scan", "tally", "variables", "layout", "hacking", "estimate"].map(built));
    const { MetricThread } = await built("metric-thread");
    const scan = await scanRecords([small], { map: [], skipBad: false }, { spill: true, seed: 0 });
    const discs = (list: { count: number }[]) => list.filter((v) => v.count > 0).map(discretise);
    const thread = new MetricThread(new URL("../../dist/analyze/metric-worker.js", import.meta.url));
    while (!thread.isReady) await new Promise((resolve) => setTimeout(resolve, 5));
    const channels = (tally: Tally, runner?: unknown) => {
      const layout = buildLayout(tally, scan.iterations, scan.prompts.size);
      return tally.signals.map((signal, index) =>
        hackingChannels(tally, layout, signal, {
          unit: "bits",
          permutations: 99,
          seed: index,
          batches: new Batches(scan.prompts.size),
          runner,
        }),
      );
    };
    const signals = discs(scan.signals);
    const features = discs(scan.features);
    const here: Tally = await tallyRecords(scan, signals, features);
    const kept: Tally = await tallyRecords(
      scan,
      signals,
      features,
      (L: number[], B: number[], hasGold: boolean) => thread.countTables(L, B, hasGold),
    );
    const inThread = channels(kept, thread);
    await thread.settled();
    await thread.close();
    scan.spill?.dispose();
    expect(kept.signals[0].features.length).toBeGreaterThan(0);
    expect(kept.signals.every((s) => s.features.every((f) => f.counts === null))).toBe(true);
    const withoutFeatures = (tally: Tally) => ({
      ...tally,
      signals: tally.signals.map((s) => ({ ...s, features: s.features.map((f) => f.disc.name) })),
    });
    expect(withoutFeatures(kept)).toEqual(withoutFeatures(here));
    expect(kept.signals[0].gold).not.toBeNull();
    expect(kept.signals[0].repeated).toBeGreaterThan(0);
    expect(inThread).toEqual(channels(here));
    expect(inThread[0].overall[0].permutations).toBeGreaterThan(0);
  });

  it("hands the tally's blocks to a thread through the ring of shared slots, waiting while all are full", async () => {
    const { RingWriter } = await built("block-ring");
    const ring = new URL("../../dist/analyze/block-ring.js", import.meta.url).href;
    const dir = mkdtempSync(join(tmpdir(), "openloop-ring-"));
    const file = join(dir, "reader.mjs");
    // the reader sums each block's arrays (slowly: the writer outruns it and waits for slots)
    writeFileSync(
      file,
      `import { parentPort } from "node:worker_threads";
import { RingReader } from ${JSON.stringify(ring)};
let reader;
const sums = [];
parentPort.on("message", (m) => {
  if (m.memory) return void (reader = new RingReader(m.memory));
  const b = reader.block(m);
  let sum = 0;
  for (let r = 0; r < b.rows; r++) sum += b.cell[r] + b.stratum[r] + b.responseHash[r] + b.gold[r] + b.levels[0][r] + b.bins[0][r];
  const until = Date.now() + 5;
  while (Date.now() < until);
  reader.free(m.slot);
  sums.push(sum);
  if (sums.length === 12) parentPort.postMessage(sums);
});
`,
    );
    const worker = new Worker(file);
    const writer = new RingWriter(1, 1, true);
    worker.postMessage({ memory: writer.memory });
    const expected: number[] = [];
    for (let k = 0; k < 12; k++) {
      const rows = 1000 + 500 * k;
      const values = (f: (r: number) => number) => Array.from({ length: rows }, (_, r) => f(r));
      const block = {
        rows,
        cellCount: 0,
        expectCells: 0,
        strataCount: 0,
        expectStrata: 0,
        scale: 1,
        cell: Int32Array.from(values((r) => r + k)),
        stratum: Int32Array.from(values((r) => 3 * r)),
        responseHash: Float64Array.from(values((r) => 2 ** 40 + r * k)),
        gold: Int32Array.from(values((r) => (r % 3) - 1)),
        levels: [Int8Array.from(values((r) => (r + k) % 7))],
        bins: [Int8Array.from(values((r) => (r * k) % 4))],
      };
      let sum = 0;
      for (let r = 0; r < rows; r++)
        sum +=
          block.cell[r] +
          block.stratum[r] +
          block.responseHash[r] +
          block.gold[r] +
          block.levels[0][r] +
          block.bins[0][r];
      expected.push(sum);
      worker.postMessage(await writer.write(block));
    }
    const [sums] = await once(worker, "message");
    await worker.terminate();
    expect(sums).toEqual(expected);
  });

  it("marks the ring ended when the metric worker dies mid-tally: a writer on the full ring throws instead of waiting", async () => {
    const { RingWriter } = await built("block-ring");
    const worker = new Worker(new URL("../../dist/analyze/metric-worker.js", import.meta.url));
    const errors: Error[] = [];
    worker.on("error", (error) => errors.push(error));
    const exited = new Promise((resolve) => worker.on("exit", resolve));
    expect((await once(worker, "message"))[0]).toEqual({ ready: true });
    const writer = new RingWriter(1, 1, false);
    worker.postMessage({ countTables: { L: [2], B: [3], hasGold: false, ring: writer.memory } });
    const block = {
      rows: 10,
      cellCount: 1,
      expectCells: 1,
      strataCount: 1,
      expectStrata: 1,
      scale: 1,
      cell: new Int32Array(10),
      stratum: new Int32Array(10),
      responseHash: new Float64Array(10).fill(-1),
      gold: null,
      levels: [new Int8Array(10)],
      bins: [new Int8Array(10)],
    };
    // fill every slot; the worker is told of none of them but a header of a slot that does not exist
    const slots = writer.memory.slots.length;
    const headers = await Promise.all(Array.from({ length: slots }, () => writer.write(block)));
    worker.postMessage({ tallyBlock: { ...headers[0], slot: slots + 5 } });
    await exited;
    expect(errors).toHaveLength(1);
    // checked before writing: a ring not marked ended would keep this thread waiting
    expect(Atomics.load(writer.memory.state, slots)).toBe(1);
    await expect(writer.write(block)).rejects.toThrow(/metric worker thread failed: it ended while counting/);
  });

  it("rejects as without the thread when the input cannot be read", async () => {
    const analyze = await builtAnalyze();
    const missing = `${small}.missing.jsonl`;
    const error = await analyze([missing], { threads: true }).catch((e: unknown) => e);
    const single = await analyze([missing], { threads: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe("io");
    expect((single as { code?: string }).code).toBe("io");
    expect((error as Error).message).toBe((single as Error).message);
  });

  it("prints from the CLI, which uses the thread on a large input, the one-thread document (any cwd)", async () => {
    expect(statSync(large).size).toBeGreaterThanOrEqual(MIN_PARALLEL_BYTES);
    const args = ["analyze", large, "--json", "--seed", "4", "--bootstrap", "40", "--permutations", "49"];
    const single = await analyzeRecords([large], {
      seed: 4,
      bootstrap: 40,
      permutations: 49,
      source: { map: [], skipBad: false },
      threads: false,
    });
    expect(single.inputs.records).toBe(15_360);
    for (const cwd of [undefined, "/"]) {
      const result = runOpenloop(args, { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(printed(single));
    }
  });
});
