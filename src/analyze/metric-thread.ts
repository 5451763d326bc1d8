/**
 * A worker thread (metric-worker.js) that shares the post-scan phases of `analyzeRecords` with
 * the main thread. Started at the beginning of an analysis so that its start-up overlaps the
 * first pass; during the tally it numbers the (cell, response) pairs and counts the tables
 * (`countTables`), sends the pairs and the signals' tables back and keeps the feature tables
 * for the channel jobs; it then computes the hacking channels' sums and permutation tests (one
 * job per signal and feature, posted at once; a job's feature counts counted here are moved to
 * it: only the channels read them) while the main thread computes the other metrics; then both
 * claim bootstrap blocks (bootstrap-round.ts). The layout arrays are copied once to shared memory.
 * The tables, channel jobs and bootstrap blocks are done on the main thread while the thread has
 * not said it is ready (its modules loaded); a thread that fails after that fails the tally it
 * counts (`add` throws or `take` rejects) or the channel jobs it holds (`settled` rejects), and
 * bootstrap blocks it held rerun here.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { OpenloopError } from "../errors.js";
import { type BlockHeader, RingWriter } from "./block-ring.js";
import { bootstrapRound, claimBootstrapJobs, runUnfinished, sharedArray } from "./bootstrap-round.js";
import type { Batches } from "./estimate.js";
import { type HackingJob, type HackingRunner, LOCAL_HACKING, type ScopeSums } from "./hacking.js";
import { type CountTables, LocalCountTables, type SignalCounts, type TallyBlock } from "./tally.js";

/** Input bytes below which the phases are too short for a thread to pay (its start costs ~30-60 ms of CPU). */
export const MIN_PARALLEL_BYTES = 4 * 2 ** 20;

const WORKER = new URL("./metric-worker.js", import.meta.url);

type Reply =
  | { ready: true }
  | { counted: SignalCounts }
  | { id: number; sums: ScopeSums[] }
  | { bootstrapDone: true };

/** A copy of an Int32Array in shared memory. */
function sharedInts(values: Int32Array): Int32Array {
  const copy = new Int32Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

/** The main thread's side of the metric worker; see the module comment. */
export class MetricThread implements HackingRunner {
  private alive = true;
  private ready = false;
  private failure: Error | null = null;
  /** the done callbacks of the jobs posted and not answered, by id */
  private readonly posted = new Map<number, (sums: ScopeSums[]) => void>();
  private nextId = 0;
  /** shared copies of the layout arrays, made once */
  private readonly copies = new WeakMap<Int32Array, Int32Array>();
  private settledWaiter: (() => void) | null = null;
  private countedWaiter: { resolve: (counts: SignalCounts) => void; reject: (error: Error) => void } | null =
    null;
  private bootstrapWaiter: (() => void) | null = null;
  /** the ring of the tally being counted, ended when the thread fails */
  private ring: RingWriter | null = null;
  private readonly worker: Worker;

  constructor(url: URL) {
    this.worker = new Worker(url);
    this.worker.on("message", (reply: Reply) => this.receive(reply));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", () => this.fail(new Error("it exited")));
  }

  /** Whether the thread has loaded its modules (jobs run here until then). */
  get isReady(): boolean {
    return this.ready && this.alive;
  }

  /**
   * The tally's pairs and tables numbered and counted by the thread, which sends the pairs and
   * the signals' tables back and keeps the feature tables for the channel jobs (their counts are
   * null in the tally), or here while it is not ready. The rows of each block reach it through
   * a ring of shared slots (block-ring.ts); `take` rejects when it fails before answering.
   */
  countTables(L: number[], B: number[], hasGold: boolean): CountTables {
    if (!this.isReady) return new LocalCountTables(L, B, hasGold);
    const ring = new RingWriter(L.length, B.length, hasGold);
    this.ring = ring;
    this.worker.postMessage({ countTables: { L, B, hasGold, ring: ring.memory } });
    const post = (header: BlockHeader): void => this.worker.postMessage({ tallyBlock: header });
    return {
      add: (block: TallyBlock): void | Promise<void> => {
        const header = ring.write(block);
        if (header instanceof Promise) return header.then(post);
        post(header);
      },
      take: (cellCount: number, strataCount: number): Promise<SignalCounts> => {
        if (!this.alive) return Promise.reject(failed("it ended while counting"));
        const counted = new Promise<SignalCounts>(
          (resolve, reject) => (this.countedWaiter = { resolve, reject }),
        );
        this.worker.postMessage({ tallyTake: { cellCount, strataCount } });
        return counted;
      },
    };
  }

  /**
   * Moves a channel job to the thread (its feature counts, when counted here, are detached), or
   * runs it here when the thread is not ready or has failed (a job whose counts the thread kept
   * is then lost: `settled` rejects).
   */
  run(job: HackingJob, done: (sums: ScopeSums[]) => void): void {
    if (!this.isReady) {
      if (job.feature.counts === null) this.failure ??= failed("it ended holding the feature tables");
      else LOCAL_HACKING.run(job, done);
      return;
    }
    const id = this.nextId++;
    this.posted.set(id, done);
    const share = (values: Int32Array): Int32Array => {
      let copy = this.copies.get(values);
      if (copy === undefined) {
        copy = sharedInts(values);
        this.copies.set(values, copy);
      }
      return copy;
    };
    const message: HackingJob = {
      ...job,
      cellIter: share(job.cellIter),
      cellStart: share(job.cellStart),
      cellStrata: share(job.cellStrata),
      constant: share(job.constant),
      scopes: job.scopes.map((scope) => ({ ...scope, cells: share(scope.cells), unit: share(scope.unit) })),
    };
    const counts = job.feature.counts;
    this.worker.postMessage({ id, hacking: message }, counts === null ? [] : [counts.buffer as ArrayBuffer]);
  }

  /** Resolves once every job's `done` has been called; rejects when the thread failed holding jobs. */
  async settled(): Promise<void> {
    if (this.posted.size > 0) await new Promise<void>((resolve) => (this.settledWaiter = resolve));
    if (this.failure !== null) throw this.failure;
  }

  /**
   * Bootstraps every batch, the blocks of replicates shared between this thread and the worker;
   * the same intervals as `batches.run` with `createRng(seed)`.
   */
  async bootstrap(batches: Batches, resamples: number, level: number, seed: number): Promise<void> {
    const plan = batches.plan(resamples, level, sharedArray);
    if (plan === null) return;
    const round = bootstrapRound(seed, plan);
    if (this.isReady) {
      const finished = new Promise<void>((resolve) => (this.bootstrapWaiter = resolve));
      this.worker.postMessage({ bootstrap: round });
      claimBootstrapJobs(round);
      await finished;
    }
    runUnfinished(round);
    batches.finish(plan, level);
  }

  /** Ends the thread. */
  async close(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  private receive(reply: Reply): void {
    if ("ready" in reply) this.ready = true;
    else if ("counted" in reply) {
      this.countedWaiter?.resolve(reply.counted);
      this.countedWaiter = null;
    } else if ("bootstrapDone" in reply) this.wakeBootstrap();
    else {
      const done = this.posted.get(reply.id);
      this.posted.delete(reply.id);
      done?.(reply.sums);
      if (this.posted.size === 0) this.wakeSettled();
    }
  }

  /** The thread failed or ended: a waiting bootstrap finishes here; the jobs it held are lost. */
  private fail(error: Error): void {
    if (!this.alive) return;
    this.alive = false;
    this.ring?.end();
    this.countedWaiter?.reject(failed(`${error.message} (while counting)`));
    this.countedWaiter = null;
    if (this.posted.size > 0) {
      this.failure = failed(error.message);
      this.posted.clear();
    }
    this.wakeSettled();
    this.wakeBootstrap();
  }

  private wakeSettled(): void {
    const wake = this.settledWaiter;
    this.settledWaiter = null;
    wake?.();
  }

  private wakeBootstrap(): void {
    const wake = this.bootstrapWaiter;
    this.bootstrapWaiter = null;
    wake?.();
  }
}

function failed(reason: string): OpenloopError {
  return new OpenloopError("internal", `the metric worker thread failed: ${reason}`);
}

/**
 * A metric thread for an analysis of `files`, or null: when the worker script is not built
 * (running from source), and, unless `threads` is true, on one core or for inputs below
 * MIN_PARALLEL_BYTES. `threads` false never starts one.
 */
export function startMetricThread(files: readonly string[], threads?: boolean): MetricThread | null {
  if (threads === false || !existsSync(fileURLToPath(WORKER))) return null;
  if (threads === undefined && (availableParallelism() < 2 || inputBytes(files) < MIN_PARALLEL_BYTES))
    return null;
  return new MetricThread(WORKER);
}

function inputBytes(files: readonly string[]): number {
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += statSync(file).size;
    } catch {
      // a missing file is reported by the scan
    }
  }
  return bytes;
}
