/**
 * The order-free half of the columnar first pass, run by each reader (a worker thread, or the
 * main thread): reads its units of the Parquet files, checks every row, maps prompt keys to
 * dictionary indices, and packs each chunk into one transferable Float64Array (the response's
 * built-in features and hash included). It also sketches, for MinHash, the responses of its
 * own bottom-k prompts per iteration: a prompt in the final bottom-k of all rows is in the
 * bottom-k of every subset of rows that contains it (prompt hashes are distinct), so these
 * candidates hold every sketch the sequential sampler keeps. Rows go out only as far as the
 * consumer's acknowledgements allow (`credit`), so memory stays bounded.
 */

import { OpenloopError } from "../errors.js";
import {
  BUILTIN_FEATURES,
  ColumnarFallback,
  type ColumnarJob,
  type RecordColumns,
  readColumnarUnits,
} from "../records/index.js";
import { MINHASH, type MinhashPrompt, MinhashSamples, minhashSketch } from "./minhash.js";
import { KeyIndex } from "./table.js";

/** What one reader does. */
export interface ScanReaderSetup {
  job: ColumnarJob;
  /** indices into `job.units`, ascending */
  units: number[];
  /** the plan's prompt keys, in dictionary order, and their seeded hashes (distinct) */
  promptKeys: Float64Array;
  promptHashes: Float64Array;
  seed: number;
}

/** Packed columns of a chunk: iteration, prompt (dictionary index), class key, gold, response hash (-1 none), then the rest. */
export const PACKED = { iteration: 0, prompt: 1, cls: 2, gold: 3, responseHash: 4, fixed: 5 } as const;

/** Flags of a chunk: which record fields occur in it. */
export const FIELD_FLAGS = { class: 1, prompt: 2, gold: 4, accepted: 8, response: 16 } as const;

/** The MinHash candidates of one prompt of one iteration: its first sketched responses, by row position. */
export interface SketchCandidates {
  iteration: number;
  /** dictionary index */
  prompt: number;
  positions: number[];
  sketches: Uint32Array[];
}

/** What a reader sends. */
export type ScanMessage =
  | { type: "chunk"; unit: number; count: number; data: Float64Array; flags: number }
  | { type: "done"; candidates: SketchCandidates[] }
  | { type: "fallback" }
  | { type: "error"; code: string; message: string; file?: string };

/** Number of packed columns of `job`'s chunks. */
function packedWidth(job: ColumnarJob): number {
  return PACKED.fixed + (job.hasResponse ? BUILTIN_FEATURES.length : 0) + job.signals + job.userFeatures;
}

/**
 * Reads `setup`'s units and posts their packed chunks, then a `done` message with the MinHash
 * candidates. `credit(rows)` resolves when `rows` more rows may be sent; `recycled` holds
 * arrays of consumed chunks handed back for reuse (fewer allocations, less GC). Throws
 * `ColumnarFallback` on a row the row path must read, and `OpenloopError`s from DuckDB.
 */
export async function runScanReader(
  setup: ScanReaderSetup,
  post: (message: ScanMessage, transfer?: ArrayBuffer[]) => void,
  credit: (rows: number) => Promise<void>,
  recycled: Float64Array[],
): Promise<void> {
  const { job, promptKeys, promptHashes, seed } = setup;
  const dictionary = new KeyIndex(promptKeys.length);
  for (const key of promptKeys) dictionary.add(key);
  const width = packedWidth(job);
  const builtinCount = job.hasResponse ? BUILTIN_FEATURES.length : 0;
  const samples = new MinhashSamples();
  // responses of the kept prompts, sketched at the end (most kept prompts are evicted later)
  const responses = new WeakMap<MinhashPrompt, { positions: number[]; texts: string[] }>();
  let unitSeen = -1;
  let unitRow = 0;
  let lastKey = Number.NaN;
  let lastPrompt = -1;
  // the sample's answer for the last (iteration, prompt): the same for each of a run of its rows
  let admittedIteration = Number.NaN;
  let admittedPrompt = -1;
  let admitted: MinhashPrompt | undefined;
  /**
   * Checks the rows of chunk `c`, writes their prompts' dictionary indices to `data`, and keeps
   * the responses of prompts the MinHash sample admits (a plain function: the async visitor
   * below optimises worse).
   */
  const checkRows = (c: RecordColumns, data: Float64Array) => {
    const { count: n, iteration: iterations, prompt: prompts, responseHash: hashes, signals } = c;
    const promptAt = PACKED.prompt * n;
    for (let r = 0; r < n; r++) {
      const iteration = iterations[r];
      const key = prompts[r];
      if (!Number.isSafeInteger(iteration) || iteration < 0 || Number.isNaN(key))
        throw new ColumnarFallback();
      // a prompt's records usually come together
      if (key !== lastKey) {
        lastKey = key;
        lastPrompt = dictionary.get(key);
        if (lastPrompt < 0) throw new ColumnarFallback();
      }
      const prompt = lastPrompt;
      data[promptAt + r] = prompt;
      let present = false;
      for (let s = 0; s < signals.length && !present; s++) present = !Number.isNaN(signals[s][r]);
      if (!present) throw new ColumnarFallback();
      if (Number.isNaN(hashes[r])) continue;
      if (prompt !== admittedPrompt || iteration !== admittedIteration) {
        admittedPrompt = prompt;
        admittedIteration = iteration;
        admitted = samples.of(iteration).admit(prompt, promptHashes[prompt]);
      }
      if (admitted === undefined) continue;
      let kept = responses.get(admitted);
      if (kept === undefined) {
        kept = { positions: [], texts: [] };
        responses.set(admitted, kept);
      }
      if (kept.texts.length < MINHASH.perPrompt) {
        kept.positions.push(unitRow + r);
        kept.texts.push(c.response(r) as string);
      }
    }
  };
  await readColumnarUnits(job, setup.units, async (unit, c) => {
    if (unit !== unitSeen) {
      unitSeen = unit;
      unitRow = job.units[unit].start;
    }
    const n = c.count;
    await credit(n);
    let data = recycled.pop();
    if (data === undefined || data.length < width * n) data = new Float64Array(width * Math.max(n, 2048));
    const signalAt = PACKED.fixed + builtinCount;
    const { iteration: iterations, gold: golds, responseHash: hashes, signals } = c;
    // whole columns first: copies, and whether each field occurs (each scan stops at the first hit)
    data.set(iterations.subarray(0, n), 0);
    data.set(c.cls.subarray(0, n), PACKED.cls * n);
    for (let s = 0; s < signals.length; s++) data.set(signals[s].subarray(0, n), (signalAt + s) * n);
    missingAsMinusOne(golds, n, data, PACKED.gold * n);
    missingAsMinusOne(hashes, n, data, PACKED.responseHash * n);
    let flags = 0;
    if (anyOne(c.hasClass, n)) flags |= FIELD_FLAGS.class;
    if (anyOne(c.hasPrompt, n)) flags |= FIELD_FLAGS.prompt;
    if (anyNumber(golds, n)) flags |= FIELD_FLAGS.gold;
    if (anyNumber(c.accepted, n)) flags |= FIELD_FLAGS.accepted;
    if (anyNumber(hashes, n)) flags |= FIELD_FLAGS.response;
    checkRows(c, data);
    for (let k = 0; k < builtinCount; k++) data.set(c.builtin[k].subarray(0, n), (PACKED.fixed + k) * n);
    const userAt = signalAt + job.signals;
    for (let f = 0; f < job.userFeatures; f++) data.set(c.features[f].subarray(0, n), (userAt + f) * n);
    unitRow += n;
    post({ type: "chunk", unit, count: n, data, flags }, [data.buffer as ArrayBuffer]);
  });
  const candidates: SketchCandidates[] = [];
  for (const [iteration, sample] of samples.byIteration) {
    for (const entry of sample.entries) {
      const kept = responses.get(entry) ?? { positions: [], texts: [] };
      candidates.push({
        iteration,
        prompt: entry.prompt,
        positions: kept.positions,
        sketches: kept.texts.map((text) => minhashSketch(text, MINHASH.hashes, MINHASH.shingle, seed)),
      });
    }
  }
  post({ type: "done", candidates });
}

/** Copies `column[0..n)` to `data` from `at`, a missing value (NaN) as -1. */
function missingAsMinusOne(column: Float64Array, n: number, data: Float64Array, at: number): void {
  for (let r = 0; r < n; r++) {
    const value = column[r];
    data[at + r] = Number.isNaN(value) ? -1 : value;
  }
}

/** Whether some entry of `column[0..n)` is 1. */
function anyOne(column: Float64Array, n: number): boolean {
  for (let r = 0; r < n; r++) if (column[r] === 1) return true;
  return false;
}

/** Whether some entry of `column[0..n)` is not NaN. */
function anyNumber(column: Float64Array, n: number): boolean {
  for (let r = 0; r < n; r++) if (!Number.isNaN(column[r])) return true;
  return false;
}

/** The message that reports a reader's failure: `fallback` for `ColumnarFallback`, else `error`. */
export function failureMessage(error: unknown): ScanMessage {
  if (error instanceof ColumnarFallback) return { type: "fallback" };
  if (error instanceof OpenloopError) {
    return { type: "error", code: error.code, message: error.message, file: error.where.file };
  }
  return { type: "error", code: "internal", message: String(error) };
}

/** Rows a reader may send ahead of its consumer's acknowledgements. */
const READER_CREDIT = 1 << 18;

/**
 * A reader's flow control: rows sent and not yet acknowledged, at most READER_CREDIT before the
 * reader waits; acknowledged chunks' arrays come back for reuse. After `stop` the reader's next
 * chunk throws, so it ends (closing DuckDB) instead of reading on.
 */
export class ReaderCredit {
  /** arrays of consumed chunks, for the reader to reuse */
  readonly recycled: Float64Array[] = [];
  private inFlight = 0;
  private wake: (() => void) | null = null;
  private halted = false;

  /** Resolves when `rows` more rows may be sent; throws after `stop`. */
  async take(rows: number): Promise<void> {
    if (!this.halted && this.inFlight > 0 && this.inFlight + rows > READER_CREDIT)
      await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.halted) throw new ColumnarFallback();
    this.inFlight += rows;
  }

  /** The consumer is done with `rows` rows, in `data`. */
  ack(rows: number, data: Float64Array): void {
    this.inFlight -= rows;
    this.recycled.push(data);
    if (this.inFlight < READER_CREDIT) this.resume();
  }

  stop(): void {
    this.halted = true;
    this.resume();
  }

  get stopped(): boolean {
    return this.halted;
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
