/**
 * Worker-thread entry of the columnar first pass: runs one reader (scan-reader.ts) on the units
 * in `workerData`, posting its chunks to the main thread, which acknowledges the rows it has
 * consumed (`{ ack: rows, data }`, handing the chunk's array back for reuse). A row the row
 * path must read is reported as `fallback`, any other failure as `error`. `{ stop: true }` ends
 * the reader after its current chunk (DuckDB closed cleanly) and then the thread.
 */
import { parentPort, workerData } from "node:worker_threads";
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
let finished = false;
port.on("message", (message: { ack: number; data: Float64Array } | { stop: true }) => {
  if ("stop" in message) {
    credit.stop();
    if (finished) port.close();
  } else credit.ack(message.ack, message.data);
});

const post = (message: ScanMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

runScanReader(workerData as ScanReaderSetup, post, (rows) => credit.take(rows), credit.recycled)
  .catch((error: unknown) => post(failureMessage(error)))
  .finally(() => {
    finished = true;
    // the thread ends when the main thread says stop (it may still acknowledge chunks until then)
    if (credit.stopped) port.close();
  });
