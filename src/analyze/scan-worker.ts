/**
 * Worker-thread entry of the columnar first pass: waits for its units (`{ setup }`; the thread
 * may start before the plan is ready, so module loading overlaps DuckDB's planning), runs one
 * reader (scan-reader.ts) on them, posting its chunks to the main thread, which acknowledges the
 * rows it has consumed (`{ ack: rows, data }`, handing the chunk's array back for reuse). A row
 * the row path must read is reported as `fallback`, any other failure as `error`.
 * `{ stop: true }` ends the reader after its current chunk (DuckDB closed cleanly), then the thread.
 */
import { parentPort } from "node:worker_threads";
import {
  failureMessage,
  ReaderCredit,
  runScanReader,
  type ScanMessage,
  type ScanReaderSetup,
} from "./scan-reader.js";

const port = parentPort;
if (port === null) throw new Error("scan-worker.js runs as a worker thread");

const credit = new ReaderCredit();
let started = false;
let finished = false;
const post = (message: ScanMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

/** Runs the reader; the thread ends when the main thread says stop (it may acknowledge chunks until then). */
function run(setup: ScanReaderSetup): void {
  started = true;
  runScanReader(setup, post, (rows) => credit.take(rows), credit.recycled)
    .catch((error: unknown) => post(failureMessage(error)))
    .finally(() => {
      finished = true;
      if (credit.stopped) port?.close();
    });
}

port.on(
  "message",
  (message: { setup: ScanReaderSetup } | { ack: number; data: Float64Array } | { stop: true }) => {
    if ("setup" in message) run(message.setup);
    else if ("stop" in message) {
      credit.stop();
      if (finished || !started) port.close();
    } else credit.ack(message.ack, message.data);
  },
);
