/**
 * The first pass over the records: prompts, iterations, classes, which record fields occur, each
 * signal's and feature's type, distinct values and per-prompt moments (see variables.ts), and the
 * bounded MinHash sample of prompts. Optionally spills every record as a compact binary row
 * (spill.ts) for the second pass. Records with an `error` (failed generations) are only counted,
 * per iteration: they carry no signal and enter no metric. Holds one entry per prompt and per
 * distinct value, never the rows.
 */
import { OpenloopError } from "../errors.js";
import {
  ColumnarFallback,
  type ColumnarPlan,
  forEachRecord,
  mayReadColumnar,
  planColumnarRecords,
  type RecordSource,
  type StreamReport,
} from "../records/index.js";
import { type MinhashPrompt, MinhashSamples } from "./minhash.js";
import { scanColumns, startReaderPool, stopReaderPool } from "./scan-columns.js";
import { Spill } from "./spill.js";
import { Growable, hashString } from "./table.js";
import { VariableScan } from "./variables.js";

/** What the first pass learned. */
export interface Scan {
  report: StreamReport;
  /** prompt id -> prompt index (first-seen order) */
  prompts: Map<string, number>;
  promptIds: string[];
  /** distinct iteration numbers of the records with signals, ascending */
  iterations: number[];
  /** records with an `error` (no signal, left out of every metric): iteration -> count */
  errorRecords: Map<number, number>;
  /** all variables by id; `signals` and `features` split them by role */
  variables: VariableScan[];
  signals: VariableScan[];
  features: VariableScan[];
  /** record fields seen at least once ("iteration" when more than one iteration occurs) */
  present: Set<string>;
  /** per iteration index: the sampled prompts with their response sketches */
  minhash: MinhashPrompt[][];
  /** the records as binary rows, when asked for */
  spill: Spill | null;
}

/**
 * Runs the first pass over `files`; with `spill`, also writes every record to a temporary
 * binary file (the caller disposes of it). Native Parquet files go column by column through
 * DuckDB (scan-columns.ts) when their schema allows it, with the same result as the row path.
 */
export async function scanRecords(
  files: readonly string[],
  source: RecordSource,
  options: { spill?: boolean; seed?: number } = {},
): Promise<Scan> {
  const seed = options.seed ?? 0;
  if (options.spill && mayReadColumnar(files, source)) {
    // the reader threads start while DuckDB plans
    const pool = startReaderPool();
    let plan: ColumnarPlan | null = null;
    try {
      plan = await planColumnarRecords(files, source);
    } finally {
      // idle threads (they open no DuckDB before their units come) end on their own
      if (plan === null) void stopReaderPool(pool);
    }
    if (plan !== null) {
      try {
        return await scanColumns(plan, seed, { pool });
      } catch (error) {
        // a row the columnar path cannot reproduce: the row path reads it (or reports it)
        if (!(error instanceof ColumnarFallback)) throw error;
      }
    }
  }
  const prompts = new Map<string, number>();
  const promptIds: string[] = [];
  const iterations = new Set<number>();
  const classes = new Map<string, number>();
  const variables: VariableScan[] = [];
  const signals = new Map<string, VariableScan>();
  const features = new Map<string, VariableScan>();
  const present = new Set<string>(["prompt_id", "signals"]);
  const minhash = new MinhashSamples();
  const spill = options.spill ? new Spill() : null;
  const errorRecords = new Map<number, number>();
  let values: Float64Array = new Float64Array(64).fill(Number.NaN);
  const promptHash = new Growable(Float64Array);
  const variable = (map: Map<string, VariableScan>, name: string, role: VariableScan["role"]) => {
    let scan = map.get(name);
    if (scan === undefined) {
      scan = new VariableScan(name, role, variables.length);
      variables.push(scan);
      map.set(name, scan);
    }
    return scan;
  };
  let report: StreamReport;
  try {
    report = await forEachRecord(files, source, ({ record, features: featureValues }) => {
      if (record.error !== undefined) {
        errorRecords.set(record.iteration, (errorRecords.get(record.iteration) ?? 0) + 1);
        return;
      }
      // validate every value before changing any state, so a rejected row leaves no trace
      for (const name in record.signals) signals.get(name)?.check(record.signals[name]);
      for (const name in featureValues) features.get(name)?.check(featureValues[name]);
      let prompt = prompts.get(record.prompt_id);
      if (prompt === undefined) {
        prompt = prompts.size;
        prompts.set(record.prompt_id, prompt);
        promptIds.push(record.prompt_id);
        promptHash.ensure(prompt + 1)[prompt] = hashString(record.prompt_id, seed);
      }
      for (const name in record.signals) {
        const scan = variable(signals, name, "signal");
        values = room(values, scan.id);
        values[scan.id] = scan.observe(record.signals[name], prompt);
      }
      for (const name in featureValues) {
        let scan = features.get(name);
        if (scan === undefined) {
          const user = record.features !== undefined && name in record.features;
          scan = variable(features, name, user ? "user" : "builtin");
        }
        values = room(values, scan.id);
        values[scan.id] = scan.observe(featureValues[name], prompt);
      }
      iterations.add(record.iteration);
      const label = record.class ?? "";
      let cls = classes.get(label);
      if (cls === undefined) {
        cls = classes.size;
        classes.set(label, cls);
      }
      if (record.prompt !== undefined) present.add("prompt");
      if (record.response !== undefined) present.add("response");
      if (record.class !== undefined) present.add("class");
      if (record.gold !== undefined) present.add("gold");
      if (record.features !== undefined) present.add("features");
      if (record.accepted !== undefined) present.add("accepted");
      const response = record.response;
      if (response !== undefined)
        minhash.of(record.iteration).add(prompt, promptHash.data[prompt], response, seed);
      spill?.write(
        prompt,
        record.iteration,
        cls,
        response === undefined ? -1 : hashString(response),
        record.gold === undefined ? -1 : record.gold ? 1 : 0,
        values,
        variables.length,
      );
      values.fill(Number.NaN, 0, variables.length);
    });
  } catch (error) {
    spill?.dispose();
    throw error;
  }
  if (prompts.size === 0) {
    spill?.dispose();
    throw new OpenloopError(
      "input",
      `no record with signals: all ${report.records} records are failed generations (they have an 'error')`,
      { where: { file: files[0] } },
    );
  }
  if (iterations.size > 1) present.add("iteration");
  const sorted = [...iterations].sort((a, b) => a - b);
  return {
    report,
    prompts,
    promptIds,
    iterations: sorted,
    errorRecords,
    variables,
    signals: [...signals.values()],
    features: [...features.values()],
    present,
    minhash: minhash.entries(sorted),
    spill,
  };
}

/** `values` with room for index `id` (grown, NaN-filled, when needed). */
export function room(values: Float64Array, id: number): Float64Array {
  if (id < values.length) return values;
  const grown = new Float64Array(Math.max(id + 1, values.length * 2)).fill(Number.NaN);
  grown.set(values);
  return grown;
}
