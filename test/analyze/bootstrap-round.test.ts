import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bootstrapRound,
  claimBootstrapJobs,
  runUnfinished,
  sharedArray,
} from "../../src/analyze/bootstrap-round.js";
import type { Estimate } from "../../src/analyze/document.js";
import { Batches, type BatchUnits, BLOCK } from "../../src/analyze/estimate.js";
import { type HackingJob, hackingSums, type ScopeSums } from "../../src/analyze/hacking.js";
import { constantLevels } from "../../src/analyze/hacking-strata.js";
import { MetricThread } from "../../src/analyze/metric-thread.js";
import { createRng } from "../../src/info/index.js";

/**
 * Four scopes over 40 prompts (the prompts; 25 of them, reordered; one prompt: no bootstrap
 * work; 33 of them, a prompt twice) of random columns, their estimates in order.
 */
function batches(seed: number): { batches: Batches; estimates: Estimate[] } {
  const rng = createRng(seed);
  const out = new Batches(40);
  const estimates: Estimate[] = [];
  const scopes: BatchUnits[] = [
    { units: 40, unitPrompt: null },
    { units: 25, unitPrompt: Int32Array.from({ length: 25 }, (_, u) => (u * 3) % 40) },
    { units: 1, unitPrompt: Int32Array.of(7) },
    { units: 33, unitPrompt: Int32Array.from({ length: 33 }, (_, u) => (u === 32 ? 0 : u + 2)) },
  ];
  for (const scope of scopes) {
    const batch = out.of(scope);
    const col = () =>
      Float64Array.from({ length: scope.units }, () => (rng.int(3) === 0 ? 0 : rng.next() * 5));
    for (let k = 0; k < 5; k++)
      estimates.push(
        batch.ratio(
          col(),
          Float64Array.from({ length: scope.units }, () => 1 + rng.int(4)),
          100,
        ),
      );
    estimates.push(batch.add([col(), col(), col()], ([a, b, c]) => (a - b) / c, 100));
  }
  return { batches: out, estimates };
}

const intervals = (estimates: Estimate[]) => estimates.map((e) => e.ci);

describe("bootstrap rounds (the blocks of replicates two threads share)", () => {
  it.each([1, 2, 3])("give, claimed on one thread, the intervals of Batches.run (seed %i)", (seed) => {
    const plain = batches(5);
    plain.batches.run({ resamples: 80, level: 0.9, rng: createRng(seed) });
    const shared = batches(5);
    const plan = shared.batches.plan(80, 0.9, sharedArray)!;
    expect(plan.jobs).toHaveLength(3);
    const round = bootstrapRound(seed, plan);
    claimBootstrapJobs(round);
    expect(Array.from(round.done)).toEqual(new Array(Math.ceil(80 / BLOCK)).fill(1));
    shared.batches.finish(plan, 0.9);
    expect(intervals(shared.estimates)).toEqual(intervals(plain.estimates));
    expect(plain.estimates[0].ci![0]).toBeLessThan(plain.estimates[0].ci![1]);
  });

  it("run the blocks a failed thread claimed but did not finish, with their own forks, over what it left", () => {
    const plain = batches(6);
    plain.batches.run({ resamples: 50, level: 0.8, rng: createRng(9) });
    const shared = batches(6);
    const plan = shared.batches.plan(50, 0.8)!;
    const round = bootstrapRound(9, plan);
    // another thread claimed blocks 0 and 1, finished block 0 and wrote part of block 1
    claimBootstrapJobs({ ...round, plan: { ...plan, resamples: BLOCK } });
    expect(round.claim[0]).toBe(2);
    for (const job of plan.jobs) job.sums.fill(123.5, BLOCK * job.width, BLOCK * job.width + 5);
    claimBootstrapJobs(round); // takes blocks 2 and on
    expect(Array.from(round.done.slice(0, 3))).toEqual([1, 0, 1]);
    runUnfinished(round); // block 1
    shared.batches.finish(plan, 0.8);
    expect(intervals(shared.estimates)).toEqual(intervals(plain.estimates));
  });
});

/** A channel job of two strata (3 x 2 tables) in one cell of one unit; each call makes fresh arrays. */
function channelJob(index: number): HackingJob {
  const counts = Uint16Array.from([3, 1, 0, 2, 1, 4, 2, 2, 1, 0, 3, 3]);
  const margin = Uint16Array.from([4, 7, 5, 5]); // S per stratum: the columns' sums
  return {
    L: 2,
    unit: "bits",
    permutations: 40,
    seed: 17,
    alpha: 0.05,
    cellCount: 1,
    cellIter: Int32Array.from([0]),
    cellStart: Int32Array.from([0, 2]),
    cellStrata: Int32Array.from([0, 1]),
    constant: constantLevels(margin, 2),
    feature: { B: 3, counts, index, signal: 0 },
    scopes: [{ iteration: null, cells: Int32Array.from([0]), unit: Int32Array.from([0]), units: 1 }],
  };
}

/** A worker script in a temporary file. */
function script(text: string): URL {
  const file = join(mkdtempSync(join(tmpdir(), "openloop-metric-thread-")), "worker.mjs");
  writeFileSync(file, text);
  return pathToFileURL(file);
}

/** Waits until `condition` holds (checked every few milliseconds). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("MetricThread", () => {
  it("runs the channel jobs and the bootstrap on the main thread, with the same results, when its worker fails to start", async () => {
    const thread = new MetricThread(script('throw new Error("no worker here");\n'));
    const local = [0, 1].map((index) => hackingSums(channelJob(index)));
    const viaThread: ScopeSums[][] = [];
    for (const index of [0, 1]) thread.run(channelJob(index), (sums) => (viaThread[index] = sums));
    const plain = batches(8);
    plain.batches.run({ resamples: 30, level: 0.9, rng: createRng(4) });
    const shared = batches(8);
    await thread.settled();
    await thread.bootstrap(shared.batches, 30, 0.9, 4);
    await thread.close();
    expect(viaThread).toEqual(local);
    expect(local[0][0].test.permutations).toBeGreaterThan(0);
    expect(intervals(shared.estimates)).toEqual(intervals(plain.estimates));
  });

  it("runs the bootstrap on the main thread, without waiting, while its worker has not said it is ready", async () => {
    // a worker that never says ready and never answers: the bootstrap must not wait for it
    const thread = new MetricThread(
      script('import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => {});\n'),
    );
    const plain = batches(8);
    plain.batches.run({ resamples: 30, level: 0.9, rng: createRng(4) });
    const shared = batches(8);
    await thread.settled();
    await thread.bootstrap(shared.batches, 30, 0.9, 4);
    expect(thread.isReady).toBe(false);
    await thread.close();
    expect(intervals(shared.estimates)).toEqual(intervals(plain.estimates));
  });

  it("counts the tally's tables here while its worker is not ready; a ready worker that ends holding them fails the tally", async () => {
    // one cell and stratum of 3 rows, the first two with one response: signal levels 0, 1 and 1,
    // feature levels 2, 0 and 0 (B = 3, L = 2)
    const block = {
      rows: 3,
      cellCount: 1,
      expectCells: 1,
      strataCount: 1,
      expectStrata: 1,
      scale: 1,
      cell: Int32Array.from([0, 0, 0]),
      stratum: Int32Array.from([0, 0, 0]),
      responseHash: Float64Array.from([5, 5, -1]),
      gold: Int32Array.from([1, -1, 0]),
      levels: [Int8Array.from([0, 1, 1])],
      bins: [Int8Array.from([2, 0, 0])],
    };
    const silent = new MetricThread(
      script('import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => {});\n'),
    );
    const here = silent.countTables([2], [3], true);
    here.add(block);
    expect(await here.take(1, 1)).toEqual({
      counts: [Uint16Array.from([1, 2])],
      gold: [Uint32Array.from([0, 1, 1, 0])],
      features: [[Uint16Array.from([0, 2, 0, 0, 1, 0])]],
      repeated: [1],
      inconsistent: [1],
      pairCount: 1,
      pairStratum: Int32Array.from([0]),
      pairN: Uint16Array.from([2]),
    });
    await silent.close();

    const thread = new MetricThread(
      script(
        'import { parentPort } from "node:worker_threads";\nparentPort.on("message", (m) => { if ("tallyBlock" in m) process.exit(3); });\nparentPort.postMessage({ ready: true });\n',
      ),
    );
    await until(() => thread.isReady);
    const tables = thread.countTables([2], [3], true);
    tables.add(block);
    await expect(tables.take(1, 1)).rejects.toThrow(/metric worker thread failed/);
    expect(thread.isReady).toBe(false);
    const job = channelJob(0);
    job.feature.counts = null;
    let called = false;
    thread.run(job, () => (called = true));
    await expect(thread.settled()).rejects.toThrow(/metric worker thread failed/);
    expect(called).toBe(false);
    await thread.close();
  });

  it("reports an internal error when a ready worker exits holding a channel job; the bootstrap still runs", async () => {
    const thread = new MetricThread(
      script(
        'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\nparentPort.postMessage({ ready: true });\n',
      ),
    );
    await until(() => thread.isReady);
    const job = channelJob(0);
    let called = false;
    thread.run(job, () => (called = true));
    expect(job.feature.counts?.length).toBe(0); // moved to the worker
    await expect(thread.settled()).rejects.toThrow(/metric worker thread failed/);
    expect(called).toBe(false);
    const plain = batches(8);
    plain.batches.run({ resamples: 30, level: 0.9, rng: createRng(4) });
    const shared = batches(8);
    await thread.bootstrap(shared.batches, 30, 0.9, 4);
    await thread.close();
    expect(intervals(shared.estimates)).toEqual(intervals(plain.estimates));
  });
});
