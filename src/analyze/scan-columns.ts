/**
 * The first pass over native Parquet files, column by column (`planColumnarRecords`): the same
 * `Scan` as the row path — prompts, classes and variables in first-seen order, per-prompt moments
 * in file order, the MinHash sample, the spill — built from typed chunks keyed by DuckDB, without
 * a JavaScript object per row. The built-in features and the response hash are computed from the
 * response text with the row path's own functions. Throws `ColumnarFallback` on a row the row
 * path would reject.
 */
import {
  BUILTIN_FEATURES,
  builtinFeatureValues,
  ColumnarFallback,
  type ColumnarPlan,
} from "../records/index.js";
import { MinhashSample, room, type Scan } from "./scan.js";
import { Spill } from "./spill.js";
import { Growable, hashString, KeyIndex } from "./table.js";
import { VariableScan } from "./variables.js";

/** Runs the first pass of `plan` (with a spill, which the caller disposes of). */
export async function scanColumns(plan: ColumnarPlan, seed: number): Promise<Scan> {
  const prompts = new Map<string, number>();
  const promptIds: string[] = [];
  const promptKeys = new KeyIndex(1 << 12);
  const promptHash = new Growable(Float64Array);
  const classKeys = new KeyIndex(1 << 10);
  const iterations = new Set<number>();
  const variables: VariableScan[] = [];
  const builtinCount = plan.hasResponse ? BUILTIN_FEATURES.length : 0;
  const columns = [
    ...plan.signals.map((name) => ({ name, role: "signal" as const })),
    ...(plan.hasResponse ? BUILTIN_FEATURES.map((name) => ({ name, role: "builtin" as const })) : []),
    ...plan.userFeatures.map((name) => ({ name, role: "user" as const })),
  ];
  const builtin = new Float64Array(builtinCount);
  // a variable is created when its first value is seen, as in the row path
  const scans: (VariableScan | undefined)[] = columns.map(() => undefined);
  const present = new Set<string>(["prompt_id", "signals"]);
  const minhash = new Map<number, MinhashSample>();
  const spill = new Spill();
  let values: Float64Array = new Float64Array(64).fill(Number.NaN);
  const signalCount = plan.signals.length;
  let hasUser = false;
  try {
    const report = await plan.forEachChunk((chunk) => {
      const arrays = [...chunk.signals, ...chunk.features];
      const firstUser = signalCount + builtinCount;
      for (let r = 0; r < chunk.count; r++) {
        const iteration = chunk.iteration[r];
        const key = chunk.prompt[r];
        if (!Number.isSafeInteger(iteration) || iteration < 0 || Number.isNaN(key))
          throw new ColumnarFallback();
        let signals = 0;
        for (let s = 0; s < signalCount; s++) if (!Number.isNaN(arrays[s][r])) signals++;
        if (signals === 0) throw new ColumnarFallback();
        const prompt = promptKeys.add(key);
        if (promptKeys.isNew) {
          const text = plan.promptIds.get(key);
          if (text === undefined) throw new ColumnarFallback();
          prompts.set(text, prompt);
          promptIds.push(text);
          promptHash.ensure(prompt + 1)[prompt] = hashString(text, seed);
        }
        const response = chunk.response(r);
        if (response === null) builtin.fill(Number.NaN);
        else builtinFeatureValues(response, builtin);
        for (let v = 0; v < columns.length; v++) {
          const value =
            v < signalCount
              ? arrays[v][r]
              : v < firstUser
                ? builtin[v - signalCount]
                : arrays[v - builtinCount][r];
          if (Number.isNaN(value)) continue;
          let scan = scans[v];
          if (scan === undefined) {
            scan = new VariableScan(columns[v].name, columns[v].role, variables.length);
            variables.push(scan);
            scans[v] = scan;
          }
          if (columns[v].role === "user") hasUser = true;
          values = room(values, scan.id);
          values[scan.id] = scan.observe(value, prompt);
        }
        iterations.add(iteration);
        const cls = classKeys.add(chunk.cls[r]);
        if (chunk.hasClass[r] === 1) present.add("class");
        if (chunk.hasPrompt[r] === 1) present.add("prompt");
        const gold = chunk.gold[r];
        if (!Number.isNaN(gold)) present.add("gold");
        if (!Number.isNaN(chunk.accepted[r])) present.add("accepted");
        if (response !== null) {
          present.add("response");
          let sample = minhash.get(iteration);
          if (sample === undefined) {
            sample = new MinhashSample();
            minhash.set(iteration, sample);
          }
          sample.add(prompt, promptHash.data[prompt], response, seed);
        }
        spill.write(
          prompt,
          iteration,
          cls,
          response === null ? -1 : hashString(response),
          Number.isNaN(gold) ? -1 : gold,
          values,
          variables.length,
        );
        values.fill(Number.NaN, 0, variables.length);
      }
    });
    if (hasUser) present.add("features");
    if (iterations.size > 1) present.add("iteration");
    const sorted = [...iterations].sort((a, b) => a - b);
    return {
      report,
      prompts,
      promptIds,
      iterations: sorted,
      // files with an `error` column take the row path
      errorRecords: new Map(),
      variables,
      signals: variables.filter((v) => v.role === "signal"),
      features: variables.filter((v) => v.role !== "signal"),
      present,
      minhash: sorted.map((it) => minhash.get(it)?.entries ?? []),
      spill,
    };
  } catch (error) {
    spill.dispose();
    throw error;
  }
}
