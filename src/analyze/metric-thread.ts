/**
 * A worker thread (metric-worker.js) that shares the post-scan phases of `analyzeRecords` with
 * the main thread: it computes the hacking channels' sums and permutation tests (one job per
 * signal and feature, all posted at once, each claimed through a shared flag) while the main
 * thread computes the other metrics; the main thread then claims the jobs left, from the last
 * (`settled`), and both claim bootstrap jobs (bootstrap-round.ts). Started at the beginning of
 * an analysis so that its start-up overlaps the first pass. A job's counts are moved to shared
 * memory, so whatever the thread has not answered when it fails runs on the main thread.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { bootstrapRound, claimBootstrapJobs, runUnfinished, sharedArray } from "./bootstrap-round.js";
import type { Batches } from "./estimate.js";
import {
  type HackingJob,
  type HackingRunner,
  hackingSums,
  LOCAL_HACKING,
  type ScopeSums,
} from "./hacking.js";

/** Input bytes below which the phases are too short for a thread to pay (its start costs ~30-60 ms of CPU). */
export const MIN_PARALLEL_BYTES = 4 * 2 ** 20;

const WORKER = new URL("./metric-worker.js", import.meta.url);

type Reply = { id: number; sums: ScopeSums[] } | { bootstrapDone: true };

/** A channel job posted to the thread; claim[0] becomes 1 when a thread takes it. */
interface Posted {
  job: HackingJob;
  done: (sums: ScopeSums[]) => void;
  claim: Int32Array;
  finished: boolean;
}

/** A typed array's copy in shared memory. */
function shared(counts: Uint16Array | Uint32Array): Uint16Array | Uint32Array {
  const buffer = new SharedArrayBuffer(counts.byteLength);
  const copy = counts instanceof Uint16Array ? new Uint16Array(buffer) : new Uint32Array(buffer);
  copy.set(counts);
  return copy;
}

/** The main thread's side of the metric worker; see the module comment. */
export class MetricThread implements HackingRunner {
  private alive = true;
  private readonly posted: Posted[] = [];
  private unfinished = 0;
  private settledWaiter: (() => void) | null = null;
  private bootstrapWaiter: (() => void) | null = null;
  private readonly worker: Worker;

  constructor(url: URL) {
    this.worker = new Worker(url);
    this.worker.on("message", (reply: Reply) => this.receive(reply));
    this.worker.on("error", () => this.fail());
    this.worker.on("exit", () => this.fail());
  }

  /**
   * Posts a channel job to the thread, its counts moved to shared memory (`job.feature.counts`
   * is the shared copy afterwards); runs it here once the thread has failed.
   */
  run(job: HackingJob, done: (sums: ScopeSums[]) => void): void {
    if (!this.alive) {
      LOCAL_HACKING.run(job, done);
      return;
    }
    job.feature.counts = shared(job.feature.counts);
    const claim = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    this.worker.postMessage({ id: this.posted.length, hacking: job, claim });
    this.posted.push({ job, done, claim, finished: false });
    this.unfinished++;
  }

  /**
   * Runs the channel jobs the thread has not claimed on this thread, from the last posted;
   * resolves once every job's `done` has been called.
   */
  async settled(): Promise<void> {
    for (let k = this.posted.length - 1; k >= 0; k--) {
      const posted = this.posted[k];
      if (!posted.finished && Atomics.compareExchange(posted.claim, 0, 0, 1) === 0) this.finish(posted);
    }
    if (this.unfinished > 0) await new Promise<void>((resolve) => (this.settledWaiter = resolve));
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

  /** Completes a job with the thread's sums, or runs it here. */
  private finish(posted: Posted, sums?: ScopeSums[]): void {
    posted.finished = true;
    this.unfinished--;
    posted.done(sums ?? hackingSums(posted.job));
    if (this.unfinished === 0) {
      const wake = this.settledWaiter;
      this.settledWaiter = null;
      wake?.();
    }
  }

  private receive(reply: Reply): void {
    if ("bootstrapDone" in reply) this.wakeBootstrap();
    else this.finish(this.posted[reply.id], reply.sums);
  }

  /** The thread failed or ended: the jobs it has not answered and a waiting bootstrap finish here. */
  private fail(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const posted of this.posted) if (!posted.finished) this.finish(posted);
    this.wakeBootstrap();
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
