/**
 * The bootstrap of every batch of an analysis as jobs that the main thread and a worker thread
 * claim from a shared counter: job k runs with the k-th fork of `createRng(seed)`, whichever
 * thread takes it, so the sums are those `Batches.run` gives with that rng.
 */
import { createRng, type Rng } from "../info/index.js";
import { type BootstrapJob, bootstrapSums } from "./estimate.js";

/** Jobs and the shared memory that hands them out (post it to a worker: the arrays are shared). */
export interface BootstrapRound {
  seed: number;
  jobs: BootstrapJob[];
  /** claim[0] = the next job to take */
  claim: Int32Array;
  /** done[k] = 1 once job k's sums are written */
  done: Int32Array;
}

/** A Float64Array in shared memory. */
export function sharedArray(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** A round over `jobs` (their arrays in shared memory when a worker takes part). */
export function bootstrapRound(seed: number, jobs: BootstrapJob[]): BootstrapRound {
  return {
    seed,
    jobs,
    claim: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
    done: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * Math.max(1, jobs.length))),
  };
}

function forks(seed: number, count: number): Rng[] {
  const root = createRng(seed);
  return Array.from({ length: count }, () => root.fork());
}

/** Runs jobs claimed from the round's counter until none is left. */
export function claimBootstrapJobs(round: BootstrapRound): void {
  const rngs = forks(round.seed, round.jobs.length);
  for (;;) {
    const k = Atomics.add(round.claim, 0, 1);
    if (k >= round.jobs.length) return;
    bootstrapSums(round.jobs[k], rngs[k]);
    Atomics.store(round.done, k, 1);
  }
}

/** Runs every job not marked done (claimed by a worker thread that failed), on this thread. */
export function runUnfinished(round: BootstrapRound): void {
  const rngs = forks(round.seed, round.jobs.length);
  round.jobs.forEach((job, k) => {
    if (Atomics.load(round.done, k) === 1) return;
    bootstrapSums(job, rngs[k]);
    Atomics.store(round.done, k, 1);
  });
}
