/**
 * The first pass over the records: prompts, iterations, which record fields occur, and each
 * signal's and feature's type, distinct values and per-prompt moments (see variables.ts). Holds
 * one entry per prompt and per distinct value, never the rows.
 */
import { forEachRecord, type RecordSource, type StreamReport } from "../records/index.js";
import { VariableScan } from "./variables.js";

/** What the first pass learned. */
export interface Scan {
  report: StreamReport;
  /** prompt id -> prompt index (first-seen order) */
  prompts: Map<string, number>;
  promptIds: string[];
  /** distinct iteration numbers, ascending */
  iterations: number[];
  signals: VariableScan[];
  features: VariableScan[];
  /** record fields seen at least once ("iteration" when more than one iteration occurs) */
  present: Set<string>;
}

/** Runs the first pass over `files`. */
export async function scanRecords(files: readonly string[], source: RecordSource): Promise<Scan> {
  const prompts = new Map<string, number>();
  const promptIds: string[] = [];
  const iterations = new Set<number>();
  const signals = new Map<string, VariableScan>();
  const features = new Map<string, VariableScan>();
  const present = new Set<string>(["prompt_id", "signals"]);
  const report = await forEachRecord(files, source, ({ record, features: values }) => {
    let prompt = prompts.get(record.prompt_id);
    const isNewPrompt = prompt === undefined;
    if (prompt === undefined) prompt = prompts.size;
    // validate every value before changing any state, so a rejected row leaves no trace
    const pending: [VariableScan, number | string | boolean][] = [];
    for (const name in record.signals) {
      let scan = signals.get(name);
      if (scan === undefined) {
        scan = new VariableScan(name, "signal");
        signals.set(name, scan);
      }
      pending.push([scan, record.signals[name]]);
    }
    for (const name in values) {
      let scan = features.get(name);
      if (scan === undefined) {
        const user = record.features !== undefined && name in record.features;
        scan = new VariableScan(name, user ? "user" : "builtin");
        features.set(name, scan);
      }
      pending.push([scan, values[name]]);
    }
    for (const [scan, value] of pending) scan.check(value);
    for (const [scan, value] of pending) scan.observe(value, prompt);
    if (isNewPrompt) {
      prompts.set(record.prompt_id, prompt);
      promptIds.push(record.prompt_id);
    }
    iterations.add(record.iteration);
    if (record.prompt !== undefined) present.add("prompt");
    if (record.response !== undefined) present.add("response");
    if (record.class !== undefined) present.add("class");
    if (record.gold !== undefined) present.add("gold");
    if (record.features !== undefined) present.add("features");
    if (record.accepted !== undefined) present.add("accepted");
  });
  if (iterations.size > 1) present.add("iteration");
  return {
    report,
    prompts,
    promptIds,
    iterations: [...iterations].sort((a, b) => a - b),
    signals: [...signals.values()],
    features: [...features.values()],
    present,
  };
}
