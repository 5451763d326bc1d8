/**
 * The bootstrap of an analysis as jobs that the main thread and a worker thread claim from a
 * shared counter: job k is block k of the plan (BLOCK replicates, each drawing the prompts once
 * and summing every batch), run with the k-th fork of `createRng(seed)`, whichever thread takes
 * it, so the sums are those `Batches.run` gives with that rng.
 */
import { createRng, type Rng } from "../info/index.js";
import { type BootstrapPlan, blockCount, Resampler } from "./estimate.js";

/** A plan and the shared memory that hands out its blocks (post it to a worker: the arrays are shared). */
export interface BootstrapRound {
  seed: number;
  plan: BootstrapPlan;
  /** claim[0] = the next block to take */
  claim: Int32Array;
  /** done[k] = 1 once block k's sums are written */
  done: Int32Array;
}

/** A Float64Array in shared memory. */
export function sharedArray(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** A round over the blocks of `plan` (its sums in shared memory when a worker takes part). */
export function bootstrapRound(seed: number, plan: BootstrapPlan): BootstrapRound {
  return {
    seed,
    plan,
    claim: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
    done: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * blockCount(plan))),
  };
}

function forks(seed: number, count: number): Rng[] {
  const root = createRng(seed);
  return Array.from({ length: count }, () => root.fork());
}

/** Runs blocks claimed from the round's counter until none is left. */
export function claimBootstrapJobs(round: BootstrapRound): void {
  const blocks = blockCount(round.plan);
  const rngs = forks(round.seed, blocks);
  const resampler = new Resampler(round.plan);
  for (;;) {
    const k = Atomics.add(round.claim, 0, 1);
    if (k >= blocks) return;
    resampler.block(k, rngs[k]);
    Atomics.store(round.done, k, 1);
  }
}

/** Runs every block not marked done (claimed by a worker thread that failed), on this thread. */
export function runUnfinished(round: BootstrapRound): void {
  const blocks = blockCount(round.plan);
  const rngs = forks(round.seed, blocks);
  let resampler: Resampler | null = null;
  for (let k = 0; k < blocks; k++) {
    if (Atomics.load(round.done, k) === 1) continue;
    resampler ??= new Resampler(round.plan);
    resampler.block(k, rngs[k]);
    Atomics.store(round.done, k, 1);
  }
}
