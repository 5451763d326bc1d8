/**
 * Worker-thread entry of the post-scan phases (metric-thread.ts): says `{ ready }` once loaded,
 * numbers the pairs and counts the tables of the tally (`{ countTables }` with the levels and a
 * ring of shared slots, block-ring.ts; one `{ tallyBlock }` per spill block, its rows in a slot
 * it frees once counted; `{ tallyTake }` at the end, answered `{ counted }` with the pairs and
 * the signals' tables moved back) and keeps the feature tables; computes the hacking-channel
 * sums and permutation tests of the channel jobs it is sent (`{ id, hacking }`, its counts null
 * when kept here; answered `{ id, sums }` with the per-unit columns moved back); and takes part
 * in the bootstrap (`{ bootstrap }`): it claims jobs from the shared counter as the main thread
 * does, writes their replicate sums into shared memory, marks each done, and says
 * `{ bootstrapDone }`.
 */
import { parentPort } from "node:worker_threads";
import { type BlockHeader, type RingMemory, RingReader } from "./block-ring.js";
import { type BootstrapRound, claimBootstrapJobs } from "./bootstrap-round.js";
import { type HackingJob, hackingSums } from "./hacking.js";
import { LocalCountTables } from "./tally.js";

const port = parentPort;
if (port === null) throw new Error("metric-worker.js runs as a worker thread");

type Message =
  | { countTables: { L: number[]; B: number[]; hasGold: boolean; ring: RingMemory } }
  | { tallyBlock: BlockHeader }
  | { tallyTake: { cellCount: number; strataCount: number } }
  | { id: number; hacking: HackingJob }
  | { bootstrap: BootstrapRound };

let counting: LocalCountTables | null = null;
let ring: RingReader | null = null;
// a main thread waiting for a slot of the ring stops waiting when this thread ends
process.once("exit", () => ring?.end());
/** the feature tables of the tally, by signal and feature */
let kept: (Uint16Array | Uint32Array)[][] = [];

port.on("message", (message: Message) => {
  if ("countTables" in message) {
    const { L, B, hasGold } = message.countTables;
    ring = new RingReader(message.countTables.ring);
    counting = new LocalCountTables(L, B, hasGold);
  } else if ("tallyBlock" in message) {
    if (counting === null || ring === null) throw new Error("tallyBlock before countTables");
    counting.add(ring.block(message.tallyBlock));
    ring.free(message.tallyBlock.slot);
  } else if ("tallyTake" in message) {
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
