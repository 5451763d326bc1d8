/**
 * Runs many lab loops (arms x seeds) on worker threads, one loop per job, results in job order
 * (so the output never depends on scheduling). Workers load the built `dist/lab/worker.js`:
 * next to this module when it runs from `dist/`, or `dist/` at the package root when it runs
 * from the TypeScript sources (tests); with neither, or one worker, loops run in this thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { OpenloopError } from "../errors.js";
import { type LoopOptions, type LoopResult, runLoop } from "./loop.js";

/** One loop to run. */
export interface LoopJob {
  options: LoopOptions;
  seed: number;
}

/** The built worker script, or null when there is none to load. */
export function workerScript(): URL | null {
  const candidates = [
    new URL("./worker.js", import.meta.url),
    new URL("../../dist/lab/worker.js", import.meta.url),
  ];
  for (const url of candidates) {
    if (url.pathname.endsWith(".js") && existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

/** The default number of workers: the machine's available parallelism. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs `jobs` on up to `workers` threads and returns their results in job order.
 * @example const [a, b] = await runLoops([{ options, seed: 1 }, { options, seed: 2 }], 2);
 */
export async function runLoops(jobs: readonly LoopJob[], workers = defaultWorkers()): Promise<LoopResult[]> {
  const script = workerScript();
  const threads = Math.min(workers, jobs.length);
  if (threads <= 1 || script === null) return jobs.map((job) => runLoop(job.options, job.seed));
  const results: LoopResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: threads }, () => new Worker(script));
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker) => {
        if (next >= jobs.length) return;
        const id = next++;
        worker.postMessage({ id, options: jobs[id].options, seed: jobs[id].seed });
      };
      for (const worker of pool) {
        worker.on("message", (message: { id: number; result?: LoopResult; error?: string }) => {
          if (message.error !== undefined || message.result === undefined) {
            reject(new OpenloopError("internal", `lab worker failed: ${message.error}`));
            return;
          }
          results[message.id] = message.result;
          done += 1;
          if (done === jobs.length) resolve();
          else feed(worker);
        });
        worker.on("error", (error) =>
          reject(new OpenloopError("internal", `lab worker failed: ${error.message}`)),
        );
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
