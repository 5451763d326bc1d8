/**
 * A worker thread (metric-worker.js) that shares the post-scan phases of `analyzeRecords` with
 * the main thread: it runs the hacking-channel permutation tests while the main thread computes
 * the other metrics, then claims bootstrap jobs beside it (bootstrap-round.ts). Started at the
 * beginning of an analysis so that its start-up overlaps the first pass. Whatever it has not
 * answered when it fails runs on the main thread, so the document is the same with or without it.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { bootstrapRound, claimBootstrapJobs, runUnfinished, sharedArray } from "./bootstrap-round.js";
import type { Batches } from "./estimate.js";
import type { StrataTests } from "./hacking.js";
import { runStrataTest, type StrataTestJob, type StrataTestResult } from "./hacking-test.js";

/** Input bytes below which the phases are too short for a thread to pay (its start costs ~30-60 ms of CPU). */
export const MIN_PARALLEL_BYTES = 4 * 2 ** 20;

const WORKER = new URL("./metric-worker.js", import.meta.url);

interface Pending {
  job: StrataTestJob;
  done: (result: StrataTestResult) => void;
}

type Reply = { id: number; result: StrataTestResult } | { bootstrapDone: true };

/** The main thread's side of the metric worker; see the module comment. */
export class MetricThread implements StrataTests {
  private alive = true;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private settledWaiters: (() => void)[] = [];
  private bootstrapWaiter: (() => void) | null = null;
  private readonly worker: Worker;

  constructor(url: URL) {
    this.worker = new Worker(url);
    this.worker.on("message", (reply: Reply) => this.receive(reply));
    this.worker.on("error", () => this.fail());
    this.worker.on("exit", () => this.fail());
  }

  /** Posts a channel test to the thread (runs it here once the thread has failed). */
  submit(job: StrataTestJob, done: (result: StrataTestResult) => void): void {
    if (!this.alive) {
      done(runStrataTest(job));
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, { job, done });
    this.worker.postMessage({ id, test: job });
  }

  /** Resolves once every submitted test's `done` has been called. */
  settled(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * Bootstraps every batch, the jobs shared between this thread and the worker; the same
   * intervals as `batches.run` with `createRng(seed)`.
   */
  async bootstrap(batches: Batches, resamples: number, level: number, seed: number): Promise<void> {
    const prepared = batches.prepare(resamples, level, sharedArray);
    if (prepared.length === 0) return;
    const round = bootstrapRound(
      seed,
      prepared.map((p) => p.job),
    );
    if (this.alive) {
      const finished = new Promise<void>((resolve) => (this.bootstrapWaiter = resolve));
      this.worker.postMessage({ bootstrap: round });
      claimBootstrapJobs(round);
      await finished;
    }
    runUnfinished(round);
    for (const { batch, job } of prepared) batch.finish(job, level);
  }

  /** Ends the thread. */
  async close(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  private receive(reply: Reply): void {
    if ("bootstrapDone" in reply) {
      this.wakeBootstrap();
      return;
    }
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    pending.done(reply.result);
    this.wakeSettled();
  }

  /** The thread failed or ended: its pending tests run here, a waiting bootstrap finishes here. */
  private fail(): void {
    if (!this.alive) return;
    this.alive = false;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { job, done } of pending) done(runStrataTest(job));
    this.wakeSettled();
    this.wakeBootstrap();
  }

  private wakeSettled(): void {
    if (this.pending.size > 0) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const wake of waiters) wake();
  }

  private wakeBootstrap(): void {
    const wake = this.bootstrapWaiter;
    this.bootstrapWaiter = null;
    wake?.();
  }
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
