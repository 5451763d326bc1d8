/**
 * The stable analysis document: the one JSON value `openloop analyze --json` prints and the input
 * of every renderer (terminal, Markdown, HTML). Field names are snake_case and versioned by
 * `schema`; a field is only ever added, never renamed. Every quantity estimated from samples is an
 * `Estimate` carrying its sample size and, where a bootstrap was run, a confidence interval.
 * Information quantities are in `unit` (bits unless `--unit nats`). Fully documented in docs/analyze.md.
 */

/** The value of `AnalysisDocument.schema`. */
export const ANALYSIS_SCHEMA = "openloop.analysis/1";

/** Information unit of every `*_bits` field (the name keeps "bits"; the value follows `unit`). */
export type AnalysisUnit = "bits" | "nats";

/**
 * One estimated quantity. `value` is null when it cannot be computed (e.g. 0/0); `ci` is the
 * bootstrap percentile interval [lo, hi] resampling prompts, over the replicates that define the
 * estimate (absent when no bootstrap was run or fewer than half of the replicates define it);
 * `n` is the number of records the estimate uses; `prompts` the number of prompts.
 */
export interface Estimate {
  value: number | null;
  ci?: [number, number];
  n: number;
  prompts?: number;
}

/** How a signal's values were turned into levels. */
export type SignalValueKind =
  /** two levels; the larger (true, 1) is "pass" */
  | "binary"
  /** at most 16 distinct values, each value one level */
  | "categorical"
  /** more than 16 distinct numbers: 4 within-prompt quantile bins (see docs/analyze.md) */
  | "continuous";

/** One bin of the distribution of per-prompt pass rates (bins are [lo, hi), the last one [lo, hi]). */
export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** Distribution of per-(iteration, prompt) pass rates of a binary signal. */
export interface PassRateDistribution {
  /** 10 equal bins over [0, 1] */
  bins: HistogramBin[];
  /** number of (iteration, prompt) cells */
  prompts: number;
  /** mean of the per-prompt pass rates (each prompt weighted equally) */
  mean: number | null;
  /** prompts whose every sample passed (pass rate 1) */
  always_pass: number;
  /** prompts whose every sample failed (pass rate 0) */
  always_fail: number;
}

/** Prompts whose signal took one value on every sample: they inject no bits. */
export interface ZeroInfoPrompts {
  count: number;
  /** for binary signals: how many of them always pass / always fail */
  always_pass: number;
  always_fail: number;
  /** up to 20 prompt ids (the ones with most samples first), to drop or re-weight */
  examples: string[];
}

/** The per-signal metrics computed once overall and once per iteration. */
export interface SignalMetrics {
  /** I(Y;S|Q) = H(S|Q) for a signal that is a function of (prompt, response) */
  bits_per_sample: Estimate;
  /** fraction of (iteration, prompt) cells on which S is constant, i.e. h(p_q) = 0 */
  zero_info_prompt_fraction: Estimate;
  /** binary signals only */
  pass_rate: PassRateDistribution | null;
  /** I([Y];S|Q); null when no class is known */
  task_bits: Estimate | null;
  /** I(Y;S|[Y],Q) = H(S|[Y],Q); null when no class is known */
  intra_class_bits: Estimate | null;
  /** eta = I([Y];S|Q) / I(Y;S|Q); null when no class or when I(Y;S|Q) = 0 */
  efficiency: Estimate | null;
}

/** One iteration's signal metrics. */
export interface IterationSignalMetrics extends SignalMetrics {
  iteration: number;
  /**
   * the hacking channels of this iteration alone (strata (iteration, prompt, class)), same shape
   * and rule as `SignalAnalysis.hacking_channels`; empty when no class or no features
   */
  hacking_channels: HackingChannel[];
}

/** A surface feature the signal may leak through (reward hacking channel). */
export interface HackingChannel {
  feature: string;
  /** "builtin" (computed from the response) or "user" (from the record's `features`) */
  source: "builtin" | "user";
  /** how the feature was discretised: "categorical" or "within-prompt-quantile-4" */
  discretisation: string;
  /** I(S;F|[Y],Q): what the signal says about F inside an answer class */
  bits: Estimate;
  /** mean of I(S;F|[Y],Q) under the permutation null: the plug-in bias to read `bits` against */
  null_bits: number;
  /** within-(prompt, class) permutation p-value of `bits` */
  p_value: number;
  /** number of permutations behind `p_value` */
  permutations: number;
  /** p_value <= 0.05 / (number of features) and `bits` exceeds `null_bits` by at least 0.005 bits */
  flagged: boolean;
  /** I(S;F|Q): the feature's information about S without conditioning on the class */
  marginal_bits: Estimate;
}

/** Agreement of a signal with ground-truth correctness. */
export interface Fidelity {
  /** I(gold;S|Q) */
  gold_bits: Estimate;
  /** P(S = pass | gold = false); binary signals only */
  fpr: Estimate | null;
  /** P(S = fail | gold = true); binary signals only */
  fnr: Estimate | null;
  /** capacity of the binary asymmetric channel gold -> S with these error rates (per use) */
  capacity: Estimate | null;
}

/** Whether a signal becomes predictable from the student's own view, iteration by iteration. */
export interface Drift {
  /** the student-side variable: "majority_class" = the response is its prompt's most frequent class */
  indicator: string;
  per_iteration: { iteration: number; bits: Estimate }[];
  /** least-squares slope of bits per iteration */
  slope: number | null;
  /** slope > 0 and the last iteration's CI lies above the first one's */
  rising: boolean;
}

/** Everything measured about one signal. */
export interface SignalAnalysis {
  name: string;
  kind: SignalValueKind;
  /** distinct levels after discretisation */
  levels: number;
  overall: SignalMetrics;
  per_iteration: IterationSignalMetrics[];
  zero_info_prompts: ZeroInfoPrompts;
  /** sorted by `bits`, largest first; empty when no class or no features */
  hacking_channels: HackingChannel[];
  /** null when no record has `gold` */
  fidelity: Fidelity | null;
  /** null when there is no class or only one iteration */
  drift: Drift | null;
  /** fraction of repeated (prompt, response) pairs whose signal differed (non-deterministic signal) */
  inconsistent_duplicate_fraction: number | null;
}

/** Bits per sample spent on surface form when training on these responses as references. */
export interface SurfaceWaste {
  /** H(Y|[Y],Q), plug-in over distinct responses */
  bits: Estimate;
  /** distinct responses per (prompt, class): mean and max */
  surface_forms_per_class: { mean: number | null; max: number };
  /** number of (iteration, prompt, class) cells */
  classes: number;
}

/** Chao1 estimate of the number of (prompt, class) pairs, seen and unseen. */
export interface Chao1 {
  value: number | null;
  observed: number;
  singletons: number;
  doubletons: number;
}

/** Diversity of one iteration. */
export interface DiversityIteration {
  iteration: number;
  records: number;
  prompts: number;
  /** H([Y]|Q) in this iteration, weighted by samples; null without classes */
  class_entropy: Estimate | null;
  /** distinct (prompt, class) pairs; null without classes */
  distinct_classes: number | null;
  /** (prompt, class) pairs not seen in any earlier iteration; null without classes */
  new_classes: number | null;
  /** mean distinct classes per prompt; null without classes */
  classes_per_prompt: number | null;
  /** fraction of records whose (prompt, response) appeared before in the iteration; null without responses */
  duplicate_rate: Estimate | null;
  /** fraction of sampled records with a same-prompt response of MinHash Jaccard >= 0.8 */
  near_duplicate_rate: Estimate | null;
  /** null without classes */
  chao1: Chao1 | null;
}

/** Diversity per iteration and its trend. */
export interface Diversity {
  per_iteration: DiversityIteration[];
  trend: {
    /** least-squares slopes per iteration (null with fewer than 2 iterations or no data) */
    class_entropy_slope: number | null;
    duplicate_rate_slope: number | null;
    near_duplicate_rate_slope: number | null;
    /** class entropy fell by more than a quarter from the first to the last iteration, or duplicates rose */
    collapsing: boolean;
  };
  /** MinHash settings behind `near_duplicate_rate` */
  minhash: { hashes: number; shingle: number; threshold: number; sampled_prompts: number };
}

/** One finding, in the paper's terms. */
export interface AnalysisFinding {
  /** stable identifier, e.g. "zero-info-prompts", "hacking-channel", "low-efficiency", "collapse" */
  id: string;
  severity: "info" | "warning" | "critical";
  title: string;
  detail: string;
  advice: string;
  /** the signal it is about, if any */
  signal?: string;
  /** the feature it is about, if any */
  feature?: string;
}

/** An input file as read. */
export interface InputFile {
  path: string;
  format: "jsonl" | "csv" | "parquet";
  records: number;
  skipped: number;
}

/** A line skipped with --skip-bad. */
export interface SkippedLine {
  file: string;
  line: number;
  message: string;
}

/** The whole analysis. */
export interface AnalysisDocument {
  schema: typeof ANALYSIS_SCHEMA;
  unit: AnalysisUnit;
  settings: {
    seed: number;
    bootstrap: number;
    level: number;
    permutations: number;
    by_iteration: boolean;
    class_from: string | null;
    preset: string | null;
  };
  inputs: {
    files: InputFile[];
    records: number;
    prompts: number;
    iterations: number[];
    /** total lines skipped with --skip-bad, and the first 20 of them */
    skipped: number;
    skipped_examples: SkippedLine[];
    /** records with an `error` (failed generations): no signal, left out of `records` and every metric */
    error_records: number;
    /** per iteration (every iteration with records of either kind), ascending */
    per_iteration: { iteration: number; records: number; error_records: number }[];
  };
  fields: {
    /** record fields seen in at least one record */
    present: string[];
    /** fields never seen and the metrics that are therefore disabled */
    missing: { field: string; disables: string[] }[];
    features: string[];
  };
  signals: SignalAnalysis[];
  surface_waste: SurfaceWaste | null;
  diversity: Diversity;
  findings: AnalysisFinding[];
}
