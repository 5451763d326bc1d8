/**
 * Worker-thread entry of the post-scan phases (metric-thread.ts): says `{ ready }` once loaded,
 * counts the feature tables of the tally (`{ featureTables }` with the levels, one
 * `{ featureBlock }` per spill block, `{ featureTake }` at the end) and keeps them, computes the
 * hacking-channel sums and permutation tests of the channel jobs it is sent (`{ id, hacking }`,
 * its counts null when kept here; answered `{ id, sums }` with the per-unit columns moved back), and takes
 * part in the bootstrap (`{ bootstrap }`): it claims jobs from the shared counter as the main
 * thread does, writes their replicate sums into shared memory, marks each done, and says
 * `{ bootstrapDone }`.
 */
import { parentPort } from "node:worker_threads";
import { type BootstrapRound, claimBootstrapJobs } from "./bootstrap-round.js";
import { type HackingJob, hackingSums } from "./hacking.js";
import { type FeatureBlock, LocalFeatureTables } from "./tally.js";

const port = parentPort;
if (port === null) throw new Error("metric-worker.js runs as a worker thread");

type Message =
  | { featureTables: { L: number[]; B: number[] } }
  | { featureBlock: FeatureBlock }
  | { featureTake: number }
  | { id: number; hacking: HackingJob }
  | { bootstrap: BootstrapRound };

let counting: LocalFeatureTables | null = null;
/** the feature tables of the tally, by signal and feature */
let kept: (Uint16Array | Uint32Array)[][] = [];

port.on("message", (message: Message) => {
  if ("featureTables" in message)
    counting = new LocalFeatureTables(message.featureTables.L, message.featureTables.B);
  else if ("featureBlock" in message) counting?.add(message.featureBlock);
  else if ("featureTake" in message) {
    kept = counting?.take(message.featureTake) ?? [];
    counting = null;
  } else if ("hacking" in message) {
    const job = message.hacking;
    const { counts, signal, index } = job.feature;
    const sums = hackingSums(
      counts === null ? { ...job, feature: { ...job.feature, counts: kept[signal][index] } } : job,
    );
    const buffers = sums.flatMap((s) => [s.condNI.buffer, s.margNI.buffer, s.unitN.buffer]);
    port.postMessage({ id: message.id, sums }, buffers as ArrayBuffer[]);
  } else {
    claimBootstrapJobs(message.bootstrap);
    port.postMessage({ bootstrapDone: true });
  }
});
// the modules are loaded: the main thread may move channel jobs here
port.postMessage({ ready: true });
