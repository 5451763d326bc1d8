/**
 * Worker-thread entry of the columnar first pass: runs one reader (scan-reader.ts) on the units
 * in `workerData`, posting its chunks to the main thread, which acknowledges the rows it has
 * consumed (`{ ack: rows, data }`, handing the chunk's array back for reuse). A row the row path must read is reported as `fallback`, any
 * other failure as `error`; the main thread terminates the worker when it is done with it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { failureMessage, runScanReader, type ScanMessage, type ScanReaderSetup } from "./scan-reader.js";

const port = parentPort;
if (port === null) throw new Error("scan-worker.js runs as a worker thread");

/** Rows sent and not yet acknowledged before the reader waits. */
const CREDIT = 1 << 18;
let inFlight = 0;
let wake: (() => void) | null = null;
const recycled: Float64Array[] = [];
port.on("message", (message: { ack: number; data: Float64Array }) => {
  inFlight -= message.ack;
  recycled.push(message.data);
  if (wake !== null && inFlight < CREDIT) {
    const resume = wake;
    wake = null;
    resume();
  }
});

const post = (message: ScanMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

runScanReader(
  workerData as ScanReaderSetup,
  post,
  async (rows) => {
    if (inFlight > 0 && inFlight + rows > CREDIT) await new Promise<void>((resolve) => (wake = resolve));
    inFlight += rows;
  },
  recycled,
).catch((error: unknown) => post(failureMessage(error)));
