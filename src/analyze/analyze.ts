/**
 * `analyzeRecords`: reads rollout records in two streaming passes (scan, then tally) and composes
 * every metric family into one `AnalysisDocument` with findings. Deterministic for a given seed.
 */
import { createRng, type Unit } from "../info/index.js";
import type { RecordSource } from "../records/index.js";
import { signalCells, signalMetrics, zeroInfoPrompts } from "./bits.js";
import { diversity } from "./diversity.js";
import { ANALYSIS_SCHEMA, type AnalysisDocument, type SignalAnalysis } from "./document.js";
import { drift, measuresDrift, settleDrift } from "./drift.js";
import { Batches, round } from "./estimate.js";
import { fidelity } from "./fidelity.js";
import { findings } from "./findings.js";
import { hackingChannels } from "./hacking.js";
import { buildLayout, type Layout } from "./layout.js";
import { type MetricThread, startMetricThread } from "./metric-thread.js";
import { scanRecords } from "./scan.js";
import { surfaceWaste } from "./surface.js";
import { type Tally, tallyRecords } from "./tally.js";
import { discretise } from "./variables.js";

/** Options of {@link analyzeRecords}. */
export interface AnalyzeOptions {
  source?: RecordSource;
  seed?: number;
  /** bootstrap replicates (0 = no intervals); default 200 */
  bootstrap?: number;
  /** confidence level; default 0.95 */
  level?: number;
  /** permutations of the hacking-channel test; default 499 */
  permutations?: number;
  unit?: Unit;
  byIteration?: boolean;
  /** for the settings block: the --class-from and --preset given */
  classFrom?: string | null;
  preset?: string | null;
  /** progress messages (to stderr on the CLI) */
  onProgress?: (message: string) => void;
  /**
   * share the post-scan phases with a worker thread: true (when the worker script is built),
   * false, or automatic when unset (two or more cores and input files of at least
   * MIN_PARALLEL_BYTES); the document is the same either way
   */
  threads?: boolean;
}

/** What each record field enables, for the "missing field" list. */
export const FIELD_METRICS: Record<string, string[]> = {
  response: [
    "built-in features (length, lines, format markers) and their hacking channels",
    "exact and near-duplicate rates",
    "surface waste",
    "--class-from response",
  ],
  class: [
    "task_bits, intra_class_bits and efficiency",
    "hacking channels (I(S;F|[Y],Q))",
    "class diversity (entropy, distinct and new classes, Chao1)",
    "drift",
  ],
  gold: ["fidelity (gold_bits, fpr, fnr, capacity)"],
  iteration: ["per-iteration trends", "drift", "new classes across iterations"],
  features: ["hacking channels of user features"],
};

/**
 * Analyses the rollout records of `files`.
 * @example const doc = await analyzeRecords(["rollouts.jsonl"], { seed: 1 }); doc.signals[0].overall.bits_per_sample
 */
export async function analyzeRecords(
  files: readonly string[],
  options: AnalyzeOptions = {},
): Promise<AnalysisDocument> {
  // started first, so that its start-up overlaps the first pass
  const thread = startMetricThread(files, options.threads);
  try {
    return await analyzeWith(files, options, thread);
  } finally {
    await thread?.close();
  }
}

async function analyzeWith(
  files: readonly string[],
  options: AnalyzeOptions,
  thread: MetricThread | null,
): Promise<AnalysisDocument> {
  const source = options.source ?? {};
  const seed = options.seed ?? 0;
  const unit = options.unit ?? "bits";
  const resamples = options.bootstrap ?? 200;
  const level = options.level ?? 0.95;
  const permutations = options.permutations ?? 499;
  const progress = options.onProgress ?? (() => {});

  progress("pass 1/2: scanning records");
  const scan = await scanRecords(files, source, { spill: true, seed });
  const signalDiscs = scan.signals.filter((s) => s.count > 0).map(discretise);
  const featureDiscs = scan.features.filter((f) => f.count > 0).map(discretise);
  progress(`pass 2/2: counting (${scan.report.records} records, ${scan.prompts.size} prompts)`);
  let tally: Tally;
  try {
    // a metric thread counts the tables and keeps the feature tables for the channel jobs
    tally = await tallyRecords(
      scan,
      signalDiscs,
      featureDiscs,
      thread ? (L, B, hasGold) => thread.countTables(L, B, hasGold) : undefined,
    );
  } finally {
    scan.spill?.dispose();
  }
  progress("computing metrics");
  const layout = buildLayout(tally, scan.iterations, scan.prompts.size);
  const hasClass = scan.present.has("class");
  const hasResponse = scan.present.has("response");
  const batches = new Batches(scan.prompts.size);

  // the channel jobs first, so that a metric thread works on them while this one does the rest;
  // their scopes' batches are created in the order the signal metrics would create them
  const channelsOf = tally.signals.map((signal, index) =>
    hasClass
      ? hackingChannels(tally, layout, signal, {
          unit,
          permutations,
          seed: seed * 7919 + index * 104729,
          batches,
          runner: thread ?? undefined,
        })
      : { overall: [], perIteration: layout.perIteration.map(() => []) },
  );
  const signals: SignalAnalysis[] = tally.signals.map((signal, index) => {
    const cells = signalCells(tally, layout, signal, unit, measuresDrift(layout, hasClass));
    const binary = signal.disc.kind === "binary";
    const overall = signalMetrics(layout.overall, cells, binary, hasClass, batches);
    // with one iteration the per-iteration metrics are the overall ones
    const metrics =
      layout.perIteration.length === 1
        ? [overall]
        : layout.perIteration.map((scope) => signalMetrics(scope, cells, binary, hasClass, batches));
    const channels = channelsOf[index];
    const perIteration = layout.perIteration.map((scope, i) => ({
      iteration: scope.iteration ?? 0,
      ...metrics[i],
      hacking_channels: channels.perIteration[i],
    }));
    return {
      name: signal.disc.name,
      kind: signal.disc.kind,
      levels: signal.disc.levels,
      overall,
      per_iteration: perIteration,
      zero_info_prompts: zeroInfoPrompts(tally, cells, scan.promptIds, binary),
      hacking_channels: channels.overall,
      fidelity: fidelity(tally, layout.overall, signal, unit, batches),
      drift: drift(layout, cells, batches),
      inconsistent_duplicate_fraction:
        signal.repeated === 0 ? null : round(signal.inconsistent / signal.repeated),
    };
  });

  let errorRecords = 0;
  for (const count of scan.errorRecords.values()) errorRecords += count;
  const present = [...scan.present].sort();
  const missing = Object.entries(FIELD_METRICS)
    .filter(([field]) => !scan.present.has(field))
    .map(([field, disables]) => ({ field, disables }));
  const body: Omit<AnalysisDocument, "findings"> = {
    schema: ANALYSIS_SCHEMA,
    unit,
    settings: {
      seed,
      bootstrap: resamples,
      level,
      permutations,
      by_iteration: options.byIteration ?? false,
      class_from: options.classFrom ?? null,
      preset: options.preset ?? null,
    },
    inputs: {
      files: scan.report.files,
      records: scan.report.records - errorRecords,
      prompts: scan.prompts.size,
      iterations: scan.iterations,
      skipped: scan.report.skipped,
      skipped_examples: scan.report.skippedExamples,
      error_records: errorRecords,
      per_iteration: perIterationCounts(scan.iterations, layout, scan.errorRecords),
    },
    fields: { present, missing, features: featureDiscs.filter((f) => f.levels > 1).map((f) => f.name) },
    signals,
    surface_waste: hasClass && hasResponse ? surfaceWaste(tally, layout.overall, unit, batches) : null,
    diversity: diversity(tally, layout, scan.minhash, hasClass, hasResponse, unit, batches),
  };
  progress(`bootstrap: ${resamples} resamples of prompts`);
  if (thread === null) batches.run({ resamples, level, rng: createRng(seed) });
  else {
    // the channels' estimates join the batches as their sums come in
    await thread.settled();
    await thread.bootstrap(batches, resamples, level, seed);
  }
  for (const signal of signals) if (signal.drift) settleDrift(signal.drift);
  return { ...body, findings: findings(body, files[0] ?? "FILE") };
}

/** Records with signals and error records per iteration (every iteration with either), ascending. */
function perIterationCounts(
  iterations: number[],
  layout: Layout,
  errorRecords: Map<number, number>,
): AnalysisDocument["inputs"]["per_iteration"] {
  const all = [...new Set([...iterations, ...errorRecords.keys()])].sort((a, b) => a - b);
  const records = new Map(layout.perIteration.map((scope) => [scope.iteration, scope.records]));
  return all.map((iteration) => ({
    iteration,
    records: records.get(iteration) ?? 0,
    error_records: errorRecords.get(iteration) ?? 0,
  }));
}
