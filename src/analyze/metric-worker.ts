/**
 * Worker-thread entry of the post-scan phases (metric-thread.ts): says `{ ready }` once loaded,
 * numbers the pairs and counts the tables of the tally (`{ countTables }` with the levels, one
 * `{ tallyBlock }` per spill block, `{ tallyTake }` at the end, answered `{ counted }` with the
 * pairs and the signals' tables moved back) and keeps the feature tables, computes the hacking-channel sums and permutation tests
 * of the channel jobs it is sent (`{ id, hacking }`, its counts null when kept here; answered
 * `{ id, sums }` with the per-unit columns moved back), and takes
 * part in the bootstrap (`{ bootstrap }`): it claims jobs from the shared counter as the main
 * thread does, writes their replicate sums into shared memory, marks each done, and says
 * `{ bootstrapDone }`.
 */
import { parentPort } from "node:worker_threads";
import { type BootstrapRound, claimBootstrapJobs } from "./bootstrap-round.js";
import { type HackingJob, hackingSums } from "./hacking.js";
import { LocalCountTables, type TallyBlock } from "./tally.js";

const port = parentPort;
if (port === null) throw new Error("metric-worker.js runs as a worker thread");

type Message =
  | { countTables: { L: number[]; B: number[]; hasGold: boolean } }
  | { tallyBlock: TallyBlock }
  | { tallyTake: { cellCount: number; strataCount: number } }
  | { id: number; hacking: HackingJob }
  | { bootstrap: BootstrapRound };

let counting: LocalCountTables | null = null;
/** the feature tables of the tally, by signal and feature */
let kept: (Uint16Array | Uint32Array)[][] = [];

port.on("message", (message: Message) => {
  if ("countTables" in message) {
    const { L, B, hasGold } = message.countTables;
    counting = new LocalCountTables(L, B, hasGold);
  } else if ("tallyBlock" in message) counting?.add(message.tallyBlock);
  else if ("tallyTake" in message) {
    if (counting === null) throw new Error("tallyTake before countTables");
    const { features, ...counted } = counting.take(
      message.tallyTake.cellCount,
      message.tallyTake.strataCount,
    );
    kept = features ?? [];
    counting = null;
    const arrays = [...counted.counts, ...(counted.gold ?? []), counted.pairStratum, counted.pairN];
    const buffers = arrays.map((a) => a.buffer as ArrayBuffer);
    port.postMessage({ counted: { ...counted, features: null } }, buffers);
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
