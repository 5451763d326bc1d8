/**
 * The worker-thread entry of the lab's seed pool: receives `{ id, options, seed }`, runs one
 * loop, posts `{ id, result }` back (or `{ id, error }`).
 */
import { parentPort } from "node:worker_threads";
import { type LoopOptions, runLoop } from "./loop.js";

parentPort?.on("message", (job: { id: number; options: LoopOptions; seed: number }) => {
  try {
    parentPort?.postMessage({ id: job.id, result: runLoop(job.options, job.seed) });
  } catch (error) {
    parentPort?.postMessage({
      id: job.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
