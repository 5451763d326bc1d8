/**
 * A constructed analysis document with real-looking values: a binary verifier over four
 * iterations of a collapsing loop, a continuous judge with a length channel, gold, drift, and a
 * hostile feature name. Used by the Markdown, terminal, HTML and browser tests.
 */
import type {
  AnalysisDocument,
  HackingChannel,
  HistogramBin,
  IterationSignalMetrics,
  SignalMetrics,
} from "../../src/analyze/index.js";

/** Binary entropy in bits. */
export function h2(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/** Pass rates of 20 prompts: two always fail, two always pass, the rest spread over (0, 1). */
export const PASS_RATES = [
  0, 0, 0.125, 0.25, 0.25, 0.375, 0.5, 0.5, 0.5, 0.625, 0.625, 0.75, 0.75, 0.875, 0.875, 0.875, 0.375, 0.5, 1,
  1,
];

/** I(Y;S|Q) of the verifier: the mean binary entropy of the prompts' pass rates. */
export const VERIFIER_BITS = PASS_RATES.reduce((a, p) => a + h2(p), 0) / PASS_RATES.length;

function bins(rates: number[]): HistogramBin[] {
  return Array.from({ length: 10 }, (_, i) => ({
    lo: i / 10,
    hi: (i + 1) / 10,
    count: rates.filter((r) => (i === 9 ? r >= 0.9 : r >= i / 10 && r < (i + 1) / 10)).length,
  }));
}

function verifierMetrics(bits: number, spread: number): SignalMetrics {
  return {
    bits_per_sample: { value: bits, ci: [bits - spread, bits + spread], n: 160, prompts: 20 },
    zero_info_prompt_fraction: { value: 0.2, ci: [0.05, 0.35], n: 160, prompts: 20 },
    pass_rate: { bins: bins(PASS_RATES), prompts: 20, mean: 0.5, always_pass: 2, always_fail: 2 },
    task_bits: { value: bits * 0.9, ci: [bits * 0.9 - spread, bits * 0.9 + spread], n: 160, prompts: 20 },
    intra_class_bits: { value: bits * 0.1, ci: [0, bits * 0.1 + spread], n: 160, prompts: 20 },
    efficiency: { value: 0.9, ci: [0.82, 0.97], n: 160, prompts: 20 },
  };
}

const ITERATION_BITS = [0.62, 0.55, 0.41, 0.3];
/** The length channel per iteration: closed in iterations 0-1, open (flagged) from 2 on. */
const CHANNEL_BITS = [0.002, 0.003, 0.21, 0.27];

function lengthChannel(bits: number, flagged: boolean): HackingChannel {
  return {
    feature: "length_chars",
    source: "builtin",
    discretisation: "within-prompt-quantile-4",
    bits: { value: bits, ci: [bits / 2, bits * 1.5], n: 160, prompts: 20 },
    null_bits: 0.003,
    p_value: flagged ? 0.002 : 0.6,
    permutations: 500,
    flagged,
    marginal_bits: { value: bits * 1.2, ci: [bits, bits * 1.6], n: 160, prompts: 20 },
  };
}

/** The document. */
export function fixtureDocument(): AnalysisDocument {
  const perIteration: IterationSignalMetrics[] = ITERATION_BITS.map((b, iteration) => ({
    iteration,
    ...verifierMetrics(b, 0.05),
    hacking_channels: [lengthChannel(CHANNEL_BITS[iteration], iteration >= 2)],
  }));
  return {
    schema: "openloop.analysis/1",
    unit: "bits",
    settings: {
      seed: 7,
      bootstrap: 200,
      level: 0.95,
      permutations: 500,
      by_iteration: false,
      class_from: null,
      preset: null,
    },
    inputs: {
      files: [{ path: "rollouts.jsonl", format: "jsonl", records: 640, skipped: 1 }],
      records: 640,
      prompts: 20,
      iterations: [0, 1, 2, 3],
      skipped: 1,
      skipped_examples: [{ file: "rollouts.jsonl", line: 17, message: "invalid JSON: Unexpected token" }],
      error_records: 0,
      per_iteration: [0, 1, 2, 3].map((iteration) => ({ iteration, records: 160, error_records: 0 })),
    },
    fields: {
      present: ["iteration", "prompt_id", "response", "signals", "class", "gold"],
      missing: [{ field: "accepted", disables: ["acceptance rate"] }],
      features: ["length_chars", "<script>alert(1)</script>"],
    },
    signals: [
      {
        name: "verifier",
        kind: "binary",
        levels: 2,
        overall: verifierMetrics(VERIFIER_BITS, 0.04),
        per_iteration: perIteration,
        zero_info_prompts: {
          count: 4,
          always_pass: 2,
          always_fail: 2,
          examples: ["q-0", "q-1", "q-18", "q-19"],
        },
        hacking_channels: [
          {
            feature: "length_chars",
            source: "builtin",
            discretisation: "within-prompt-quantile-4",
            bits: { value: 0.1234, ci: [0.0811, 0.1702], n: 640, prompts: 20 },
            null_bits: 0.0031,
            p_value: 0.0004,
            permutations: 500,
            flagged: true,
            marginal_bits: { value: 0.2, ci: [0.15, 0.26], n: 640, prompts: 20 },
          },
          {
            feature: "<script>alert(1)</script>",
            source: "user",
            discretisation: "categorical",
            bits: { value: 0.004, ci: [0, 0.011], n: 640, prompts: 20 },
            null_bits: 0.0035,
            p_value: 0.62,
            permutations: 500,
            flagged: false,
            marginal_bits: { value: 0.006, ci: [0, 0.014], n: 640, prompts: 20 },
          },
        ],
        fidelity: {
          gold_bits: { value: 0.41, ci: [0.36, 0.47], n: 640, prompts: 20 },
          fpr: { value: 0.05, ci: [0.02, 0.09], n: 300 },
          fnr: { value: 0.1, ci: [0.06, 0.15], n: 340 },
          capacity: { value: 0.44, ci: [0.35, 0.53], n: 640 },
        },
        drift: {
          indicator: "majority_class",
          per_iteration: [0.02, 0.05, 0.11, 0.19].map((b, iteration) => ({
            iteration,
            bits: { value: b, ci: [b / 2, b * 1.5] as [number, number], n: 160, prompts: 20 },
          })),
          slope: 0.057,
          rising: true,
        },
        inconsistent_duplicate_fraction: 0,
      },
      {
        name: "judge",
        kind: "continuous",
        levels: 4,
        overall: {
          bits_per_sample: { value: 1.52, ci: [1.41, 1.63], n: 640, prompts: 20 },
          zero_info_prompt_fraction: { value: 0, ci: [0, 0], n: 640, prompts: 20 },
          pass_rate: null,
          task_bits: { value: 0.38, ci: [0.3, 0.46], n: 640, prompts: 20 },
          intra_class_bits: { value: 1.14, ci: [1.02, 1.25], n: 640, prompts: 20 },
          efficiency: { value: 0.25, ci: [0.2, 0.31], n: 640, prompts: 20 },
        },
        per_iteration: [],
        zero_info_prompts: { count: 0, always_pass: 0, always_fail: 0, examples: [] },
        hacking_channels: [],
        fidelity: null,
        drift: null,
        inconsistent_duplicate_fraction: null,
      },
    ],
    surface_waste: {
      bits: { value: 2.32, ci: [2.1, 2.5], n: 640, prompts: 20 },
      surface_forms_per_class: { mean: 5.1, max: 8 },
      classes: 126,
    },
    diversity: {
      per_iteration: [1.9, 1.4, 0.9, 0.5].map((e, iteration) => ({
        iteration,
        records: 160,
        prompts: 20,
        class_entropy: { value: e, ci: [e - 0.1, e + 0.1] as [number, number], n: 160, prompts: 20 },
        distinct_classes: 80 - iteration * 15,
        new_classes: iteration === 0 ? 80 : 10 - iteration * 2,
        classes_per_prompt: (80 - iteration * 15) / 20,
        duplicate_rate: {
          value: 0.05 + iteration * 0.1,
          ci: [0.02 + iteration * 0.1, 0.08 + iteration * 0.1] as [number, number],
          n: 160,
        },
        near_duplicate_rate: { value: 0.1 + iteration * 0.12, n: 160 },
        chao1: { value: 95 - iteration * 17, observed: 80 - iteration * 15, singletons: 20, doubletons: 12 },
      })),
      trend: {
        class_entropy_slope: -0.47,
        duplicate_rate_slope: 0.1,
        near_duplicate_rate_slope: 0.12,
        collapsing: true,
      },
      minhash: { hashes: 64, shingle: 3, threshold: 0.8, sampled_prompts: 20 },
    },
    findings: [
      {
        id: "zero-info-prompts",
        severity: "warning",
        title: "4 prompts inject no information",
        detail: "20% of samples come from prompts that always pass or always fail.",
        advice: "Drop or re-weight q-0, q-1, q-18, q-19.",
        signal: "verifier",
      },
      {
        id: "hacking-channel",
        severity: "critical",
        title: "verifier leaks length_chars inside a class",
        detail: "I(S;F|[Y],Q) = 0.123 bits, p < 0.001.",
        advice:
          "Decorrelate: openloop decorrelate rollouts.jsonl --feature length_chars --signal verifier --out weights.jsonl",
        signal: "verifier",
        feature: "length_chars",
      },
      {
        id: "collapse",
        severity: "critical",
        title: "Diversity is collapsing",
        detail: "Class entropy fell from 1.9 to 0.5 bits over 4 iterations.",
        advice: "Mix real data back in or add an external signal.",
      },
    ],
  };
}

/**
 * A degenerate document: one iteration, a signal whose every estimate is null and that has no
 * class, no gold and no features, no diversity figures and no findings.
 */
export function emptyDocument(): AnalysisDocument {
  const none = { value: null, n: 0 };
  return {
    ...fixtureDocument(),
    inputs: {
      files: [],
      records: 0,
      prompts: 0,
      iterations: [0],
      skipped: 0,
      skipped_examples: [],
      error_records: 0,
      per_iteration: [{ iteration: 0, records: 0, error_records: 0 }],
    },
    fields: { present: ["prompt_id", "signals"], missing: [], features: [] },
    signals: [
      {
        name: "reward",
        kind: "categorical",
        levels: 1,
        overall: {
          bits_per_sample: none,
          zero_info_prompt_fraction: none,
          pass_rate: null,
          task_bits: null,
          intra_class_bits: null,
          efficiency: null,
        },
        per_iteration: [
          {
            iteration: 0,
            bits_per_sample: none,
            zero_info_prompt_fraction: none,
            pass_rate: null,
            task_bits: null,
            intra_class_bits: null,
            efficiency: null,
            hacking_channels: [],
          },
        ],
        zero_info_prompts: { count: 0, always_pass: 0, always_fail: 0, examples: [] },
        hacking_channels: [],
        fidelity: null,
        drift: null,
        inconsistent_duplicate_fraction: null,
      },
    ],
    surface_waste: null,
    diversity: {
      per_iteration: [],
      trend: {
        class_entropy_slope: null,
        duplicate_rate_slope: null,
        near_duplicate_rate_slope: null,
        collapsing: false,
      },
      minhash: { hashes: 64, shingle: 3, threshold: 0.8, sampled_prompts: 0 },
    },
    findings: [],
  };
}
