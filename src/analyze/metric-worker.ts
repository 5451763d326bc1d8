/**
 * Worker-thread entry of the post-scan phases (metric-pool.ts): runs the hacking-channel
 * permutation tests it is sent (`{ id, test }`, answered `{ id, result }`), and takes part in the
 * bootstrap (`{ bootstrap }`): it claims jobs from the shared counter as the main thread does,
 * writes their replicate sums into shared memory, marks each done, and says `{ bootstrapDone }`.
 */
import { parentPort } from "node:worker_threads";
import { type BootstrapRound, claimBootstrapJobs } from "./bootstrap-round.js";
import { runStrataTest, type StrataTestJob } from "./hacking-test.js";

const port = parentPort;
if (port === null) throw new Error("metric-worker.js runs as a worker thread");

port.on("message", (message: { id: number; test: StrataTestJob } | { bootstrap: BootstrapRound }) => {
  if ("test" in message) port.postMessage({ id: message.id, result: runStrataTest(message.test) });
  else {
    claimBootstrapJobs(message.bootstrap);
    port.postMessage({ bootstrapDone: true });
  }
});
