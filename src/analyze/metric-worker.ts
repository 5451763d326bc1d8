/**
 * Worker-thread entry of the post-scan phases (metric-thread.ts): says `{ ready }` once loaded,
 * computes the hacking-channel sums and permutation tests of the channel jobs it is sent
 * (`{ id, hacking }`, answered `{ id, sums }` with the per-unit columns moved back), and takes
 * part in the bootstrap (`{ bootstrap }`): it claims jobs from the shared counter as the main
 * thread does, writes their replicate sums into shared memory, marks each done, and says
 * `{ bootstrapDone }`.
 */
import { parentPort } from "node:worker_threads";
import { type BootstrapRound, claimBootstrapJobs } from "./bootstrap-round.js";
import { type HackingJob, hackingSums } from "./hacking.js";

const port = parentPort;
if (port === null) throw new Error("metric-worker.js runs as a worker thread");

type Message = { id: number; hacking: HackingJob } | { bootstrap: BootstrapRound };

port.on("message", (message: Message) => {
  if ("hacking" in message) {
    const sums = hackingSums(message.hacking);
    const buffers = sums.flatMap((s) => [s.condNI.buffer, s.margNI.buffer, s.unitN.buffer]);
    port.postMessage({ id: message.id, sums }, buffers as ArrayBuffer[]);
  } else {
    claimBootstrapJobs(message.bootstrap);
    port.postMessage({ bootstrapDone: true });
  }
});
// the modules are loaded: the main thread may move channel jobs here
port.postMessage({ ready: true });
