/**
 * The first pass over native Parquet files, column by column (`planColumnarRecords`): the same
 * `Scan` as the row path — prompts, classes and variables in first-seen order, per-prompt moments
 * in file order, the MinHash sample, the spill — built from typed chunks, without a JavaScript
 * object per row. The order-free work (reading, checking rows, the built-in features, response
 * hashes, MinHash sketches of candidate prompts) runs in readers (scan-reader.ts), worker
 * threads on interleaved units of whole row groups; this thread consumes their chunks
 * in file order and does only what depends on it. Throws `ColumnarFallback` on a row the row
 * path would reject.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ErrorCode, OpenloopError } from "../errors.js";
import {
  BUILTIN_FEATURES,
  ColumnarFallback,
  type ColumnarPlan,
  type StreamReport,
} from "../records/index.js";
import { MINHASH, type MinhashPrompt, MinhashSamples } from "./minhash.js";
import type { Scan } from "./scan.js";
import {
  FIELD_FLAGS,
  failureMessage,
  PACKED,
  ReaderCredit,
  runScanReader,
  type ScanMessage,
  type ScanReaderSetup,
  type SketchCandidates,
} from "./scan-reader.js";
import { Spill } from "./spill.js";
import { Growable, hashString, KeyIndex } from "./table.js";
import { VariableScan } from "./variables.js";

/** A source of one reader's messages, in order. */
interface Reader {
  next(): Promise<ScanMessage>;
  /** acknowledges consumed rows, handing their chunk's array back */
  ack(rows: number, data: Float64Array): void;
  /** ends the reader; resolves once it has closed DuckDB */
  stop(): Promise<void>;
}

/** Queues messages for `next`. */
class Inbox {
  private readonly queue: ScanMessage[] = [];
  private waiting: ((message: ScanMessage) => void) | null = null;

  push(message: ScanMessage): void {
    if (this.waiting !== null) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(message);
    } else this.queue.push(message);
  }

  next(): Promise<ScanMessage> {
    const message = this.queue.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/** A started worker thread (scan-worker.js) waiting for its units; a crash or an early exit reads as an `error` message. */
interface ReaderThread {
  worker: Worker;
  inbox: Inbox;
  exited: Promise<void>;
}

function startThread(url: URL): ReaderThread {
  const inbox = new Inbox();
  const worker = new Worker(url);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("message", (message: ScanMessage) => inbox.push(message));
  worker.on("error", (error) => inbox.push(failureMessage(error)));
  worker.on("exit", () => inbox.push({ type: "error", code: "internal", message: "a reader thread exited" }));
  return { worker, inbox, exited };
}

/** Ends a reader thread (after its current chunk, if it reads); resolves when it has exited. */
function stopThread(thread: ReaderThread): Promise<void> {
  thread.worker.postMessage({ stop: true });
  return thread.exited;
}

/** The reader of `thread`, given its units. */
function workerReader(thread: ReaderThread, setup: ScanReaderSetup): Reader {
  thread.worker.postMessage({ setup });
  return {
    next: () => thread.inbox.next(),
    ack: (rows, data) => thread.worker.postMessage({ ack: rows, data }, [data.buffer as ArrayBuffer]),
    stop: () => stopThread(thread),
  };
}

/** A reader on this thread (when the worker script is not built, e.g. running from source, or on one core). */
function localReader(setup: ScanReaderSetup): Reader {
  const inbox = new Inbox();
  const credit = new ReaderCredit();
  const running = runScanReader(
    setup,
    (message) => inbox.push(message),
    (rows) => credit.take(rows),
    credit.recycled,
  ).catch((error: unknown) => inbox.push(failureMessage(error)));
  return {
    next: () => inbox.next(),
    ack: (rows, data) => credit.ack(rows, data),
    stop: () => {
      credit.stop();
      return running;
    },
  };
}

/**
 * Readers beyond which the main thread cannot keep up: it consumes ~3M rows/s of a typical log
 * while a reader produces ~1M (more would only hold more memory: a DuckDB and up to 262,144 rows
 * each).
 */
const MAX_READERS = 4;

const WORKER = new URL("./scan-worker.js", import.meta.url);

/**
 * Reader threads started ahead of the plan, so that their start (a thread, the modules) overlaps
 * DuckDB's planning queries: one per core, up to MAX_READERS. On 2 idle cores two readers took
 * ~5% less wall time than one for the 1M-record log (whole run, 6 interleaved pairs), for ~3%
 * more CPU; under heavy load from other processes one reader was faster (it keeps about two
 * threads busy: its own and DuckDB's fetching the next chunk). Null on one core or when the
 * worker script is not built (running from source): the readers then run on this thread. Hand
 * the pool to `scanColumns`, or end it with `stopReaderPool`.
 */
export interface ReaderPool {
  threads: ReaderThread[];
}

/** Starts a reader pool (see `ReaderPool`), or returns null. */
export function startReaderPool(): ReaderPool | null {
  const cores = availableParallelism();
  if (cores === 1 || !existsSync(fileURLToPath(WORKER))) return null;
  return { threads: Array.from({ length: Math.min(cores, MAX_READERS) }, () => startThread(WORKER)) };
}

/** Ends the threads of a pool that will not read. */
export async function stopReaderPool(pool: ReaderPool | null): Promise<void> {
  if (pool !== null) await Promise.all(pool.threads.map(stopThread));
}

/**
 * The readers of `plan`, at most one per unit: the pool's threads (the others are ended), or
 * `readers` of them (in threads of their own when the worker script is built), or one on this
 * thread; `idle` ends the pool's threads left without units.
 */
function startReaders(
  plan: ColumnarPlan,
  keys: Float64Array,
  hashes: Float64Array,
  seed: number,
  options: { readers?: number; pool?: ReaderPool | null },
): { readers: Reader[]; idle: Promise<void> } {
  const units = plan.job.units.length;
  const pool = options.pool ?? null;
  const built = existsSync(fileURLToPath(WORKER));
  const count = Math.min(options.readers ?? pool?.threads.length ?? 1, units);
  const setup = (w: number): ScanReaderSetup => ({
    job: plan.job,
    units: Array.from({ length: Math.ceil((units - w) / count) }, (_, i) => w + i * count),
    promptKeys: keys,
    promptHashes: hashes,
    seed,
  });
  const threads = pool?.threads ?? [];
  const idle = Promise.all(threads.slice(count).map(stopThread)).then(() => undefined);
  const readers = Array.from({ length: count }, (_, w) => {
    if (w < threads.length) return workerReader(threads[w], setup(w));
    return options.readers !== undefined && built
      ? workerReader(startThread(WORKER), setup(w))
      : localReader(setup(w));
  });
  return { readers, idle };
}

/** Throws what a reader's failure message says (a non-chunk message where a chunk was due). */
function failed(message: ScanMessage, file: string): never {
  if (message.type === "fallback") throw new ColumnarFallback();
  if (message.type === "error") {
    throw new OpenloopError(message.code as ErrorCode, message.message, {
      where: { file: message.file ?? file },
    });
  }
  throw new OpenloopError("internal", "a reader ended before its last row", { where: { file } });
}

/**
 * Runs the first pass of `plan` (with a spill, which the caller disposes of) with the threads of
 * `pool` (see `startReaderPool`; ended here in any case), or `readers` readers (the result is the
 * same for any number).
 */
export async function scanColumns(
  plan: ColumnarPlan,
  seed: number,
  options: { readers?: number; pool?: ReaderPool | null } = {},
): Promise<Scan> {
  try {
    return await scanWith(plan, seed, options);
  } catch (error) {
    await stopReaderPool(options.pool ?? null);
    throw error;
  }
}

async function scanWith(
  plan: ColumnarPlan,
  seed: number,
  options: { readers?: number; pool?: ReaderPool | null },
): Promise<Scan> {
  const { job } = plan;
  const texts = [...plan.promptIds.values()];
  const keys = Float64Array.from(plan.promptIds.keys());
  const hashes = Float64Array.from(texts, (text) => hashString(text, seed));
  // readers sample MinHash candidates by these hashes: equal ones would make the sample order-dependent
  const sorted = Float64Array.from(hashes).sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) throw new ColumnarFallback();

  const prompts = new Map<string, number>();
  const promptIds: string[] = [];
  const order = new Int32Array(texts.length).fill(-1);
  const dictionaryOf = new Growable(Int32Array);
  const promptHash = new Growable(Float64Array);
  const classKeys = new KeyIndex(1 << 10);
  const iterations = new Set<number>();
  const variables: VariableScan[] = [];
  const builtinCount = job.hasResponse ? BUILTIN_FEATURES.length : 0;
  const signalAt = PACKED.fixed + builtinCount;
  const columns = [
    ...plan.signals.map((name, s) => ({ name, role: "signal" as const, at: signalAt + s })),
    ...(job.hasResponse ? BUILTIN_FEATURES : []).map((name, k) => ({
      name,
      role: "builtin" as const,
      at: PACKED.fixed + k,
    })),
    ...plan.userFeatures.map((name, f) => ({
      name,
      role: "user" as const,
      at: signalAt + plan.signals.length + f,
    })),
  ];
  const at = Int32Array.from(columns, (c) => c.at);
  // a variable is created when its first value is seen, as in the row path
  const scans: (VariableScan | undefined)[] = columns.map(() => undefined);
  const minhash = new MinhashSamples();
  /** records of each kept MinHash entry (to check the readers' candidates) */
  const admitted = new Map<MinhashPrompt, number>();
  const spill = new Spill();
  let flags = 0;
  let lastIteration = Number.NaN;
  let lastClassKey = Number.NaN;
  let lastClass = -1;

  // per chunk row: prompt index and class code
  let promptOf = new Int32Array(2048);
  let classOf = new Int32Array(2048);
  /** column of each variable id */
  const columnOf: number[] = [];
  /** A chunk: the order-dependent indices row by row, each variable's values column by column, then the spill. */
  const consume = (n: number, data: Float64Array) => {
    if (promptOf.length < n) {
      promptOf = new Int32Array(n);
      classOf = new Int32Array(n);
    }
    for (let r = 0; r < n; r++) {
      const iteration = data[r];
      const entry = data[PACKED.prompt * n + r];
      let prompt = order[entry];
      if (prompt < 0) {
        prompt = promptIds.length;
        order[entry] = prompt;
        const text = texts[entry];
        prompts.set(text, prompt);
        promptIds.push(text);
        promptHash.ensure(prompt + 1)[prompt] = hashes[entry];
        dictionaryOf.ensure(prompt + 1)[prompt] = entry;
      }
      promptOf[r] = prompt;
      if (iteration !== lastIteration) {
        iterations.add(iteration);
        lastIteration = iteration;
      }
      const classKey = data[PACKED.cls * n + r];
      if (classKey !== lastClassKey) {
        lastClassKey = classKey;
        lastClass = classKeys.add(classKey);
      }
      classOf[r] = lastClass;
      if (data[PACKED.responseHash * n + r] >= 0) {
        const kept = minhash.of(iteration).admit(prompt, promptHash.data[prompt]);
        if (kept !== undefined) admitted.set(kept, (admitted.get(kept) ?? 0) + 1);
      }
    }
    // variables first seen in this chunk, created in row-major first-seen order as the row path does
    const fresh: { row: number; column: number }[] = [];
    for (let v = 0; v < at.length; v++) {
      if (scans[v] !== undefined) continue;
      const base = at[v] * n;
      for (let r = 0; r < n; r++) {
        if (!Number.isNaN(data[base + r])) {
          fresh.push({ row: r, column: v });
          break;
        }
      }
    }
    fresh.sort((a, b) => a.row - b.row || a.column - b.column);
    for (const { column } of fresh) {
      const scan = new VariableScan(columns[column].name, columns[column].role, variables.length);
      variables.push(scan);
      scans[column] = scan;
      columnOf.push(column);
    }
    // each variable's values in row order (variables are independent of each other)
    for (let v = 0; v < at.length; v++) scans[v]?.observeNumbers(data, at[v] * n, n, promptOf);
    // the spill: a number is spilled as itself; rows before a variable's first value hold NaN for it
    const spilled = columnOf.map((column) => data.subarray(at[column] * n, at[column] * n + n));
    spill.writeColumns(
      n,
      promptOf,
      data.subarray(0, n),
      classOf,
      data.subarray(PACKED.responseHash * n, PACKED.responseHash * n + n),
      data.subarray(PACKED.gold * n, PACKED.gold * n + n),
      spilled,
    );
  };

  let readers: Reader[] = [];
  let idle: Promise<void> = Promise.resolve();
  try {
    ({ readers, idle } = startReaders(plan, keys, hashes, seed, options));
    for (let u = 0; u < job.units.length; u++) {
      const unit = job.units[u];
      const reader = readers[u % readers.length];
      for (let left = unit.to - unit.from; left > 0; ) {
        const message = await reader.next();
        if (message.type !== "chunk" || message.unit !== u) failed(message, job.files[unit.file]);
        consume(message.count, message.data);
        flags |= message.flags;
        left -= message.count;
        reader.ack(message.count, message.data);
      }
    }
    const candidates = new Map<string, SketchCandidates[]>();
    for (const reader of readers) {
      const message = await reader.next();
      if (message.type !== "done") failed(message, job.files[0]);
      for (const c of message.candidates) {
        const id = `${c.iteration}:${c.prompt}`;
        candidates.set(id, [...(candidates.get(id) ?? []), c]);
      }
    }
    const sortedIterations = [...iterations].sort((a, b) => a - b);
    for (const [iteration, kept] of minhash.byIteration) {
      for (const entry of kept.entries) {
        const found = candidates.get(`${iteration}:${dictionaryOf.data[entry.prompt]}`) ?? [];
        const sketches = found
          .flatMap((c) => c.positions.map((position, i) => ({ position, sketch: c.sketches[i] })))
          .sort((a, b) => a.position - b.position)
          .slice(0, MINHASH.perPrompt)
          .map((s) => s.sketch);
        if (sketches.length !== Math.min(MINHASH.perPrompt, admitted.get(entry) ?? 0))
          throw new OpenloopError("internal", "the readers' MinHash candidates miss a kept prompt", {
            where: { file: job.files[0] },
          });
        entry.sketches = sketches;
      }
    }
    const present = new Set<string>(["prompt_id", "signals"]);
    if (flags & FIELD_FLAGS.class) present.add("class");
    if (flags & FIELD_FLAGS.prompt) present.add("prompt");
    if (flags & FIELD_FLAGS.gold) present.add("gold");
    if (flags & FIELD_FLAGS.accepted) present.add("accepted");
    if (flags & FIELD_FLAGS.response) present.add("response");
    if (variables.some((v) => v.role === "user")) present.add("features");
    if (iterations.size > 1) present.add("iteration");
    const report: StreamReport = {
      files: job.files.map((path, f) => ({ path, format: "parquet", records: plan.records[f], skipped: 0 })),
      records: plan.records.reduce((a, b) => a + b, 0),
      skipped: 0,
      skippedExamples: [],
    };
    return {
      report,
      prompts,
      promptIds,
      iterations: sortedIterations,
      // files with an `error` column take the row path
      errorRecords: new Map(),
      variables,
      signals: variables.filter((v) => v.role === "signal"),
      features: variables.filter((v) => v.role !== "signal"),
      present,
      minhash: minhash.entries(sortedIterations),
      spill,
    };
  } catch (error) {
    spill.dispose();
    throw error;
  } finally {
    await Promise.all([idle, ...readers.map((reader) => reader.stop())]);
  }
}
