// Times the three renderings of a large analysis document (many signals, iterations and features)
// and reports the HTML size. Run after `npm run build`:
//   node bench/report-render.mjs [--signals 8] [--iterations 100] [--features 40] [--repeats 5]
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { renderHtml, renderMarkdown, renderTerminal } from "../dist/report/index.js";

const { values } = parseArgs({
  options: {
    signals: { type: "string", default: "8" },
    iterations: { type: "string", default: "100" },
    features: { type: "string", default: "40" },
    repeats: { type: "string", default: "5" },
  },
});
const S = Number(values.signals);
const T = Number(values.iterations);
const F = Number(values.features);
const R = Number(values.repeats);

const est = (v, n = 1000) => ({ value: v, ci: [v * 0.9, v * 1.1], n, prompts: 100 });
const metrics = (t) => ({
  bits_per_sample: est(0.5 + 0.3 * Math.sin(t)),
  zero_info_prompt_fraction: est(0.2),
  pass_rate: {
    bins: Array.from({ length: 10 }, (_, i) => ({ lo: i / 10, hi: (i + 1) / 10, count: 10 + i })),
    prompts: 145,
    mean: 0.5,
    always_pass: 5,
    always_fail: 5,
  },
  task_bits: est(0.4),
  intra_class_bits: est(0.1),
  efficiency: est(0.8),
});
const doc = {
  schema: "openloop.analysis/1",
  unit: "bits",
  settings: {
    seed: 0,
    bootstrap: 200,
    level: 0.95,
    permutations: 499,
    by_iteration: false,
    class_from: null,
    preset: null,
  },
  inputs: {
    files: [{ path: "x.jsonl", format: "jsonl", records: 1e6, skipped: 0 }],
    records: 1e6,
    prompts: 1e4,
    iterations: Array.from({ length: T }, (_, t) => t),
    skipped: 0,
    skipped_examples: [],
  },
  fields: { present: [], missing: [], features: [] },
  signals: Array.from({ length: S }, (_, s) => ({
    name: `signal_${s}`,
    kind: "binary",
    levels: 2,
    overall: metrics(0),
    per_iteration: Array.from({ length: T }, (_, t) => ({ iteration: t, ...metrics(t / 5) })),
    zero_info_prompts: { count: 5, always_pass: 5, always_fail: 0, examples: ["a", "b"] },
    hacking_channels: Array.from({ length: F }, (_, f) => ({
      feature: `feature_${f}`,
      source: "builtin",
      discretisation: "categorical",
      bits: est(0.01 * (F - f)),
      null_bits: 0.001,
      p_value: f / F,
      permutations: 499,
      flagged: f < 2,
      marginal_bits: est(0.02 * (F - f)),
    })),
    fidelity: { gold_bits: est(0.3), fpr: est(0.1), fnr: est(0.1), capacity: est(0.5) },
    drift: {
      indicator: "majority_class",
      per_iteration: Array.from({ length: T }, (_, t) => ({ iteration: t, bits: est(0.01 * t) })),
      slope: 0.01,
      rising: true,
    },
    inconsistent_duplicate_fraction: 0,
  })),
  surface_waste: { bits: est(1.2), surface_forms_per_class: { mean: 3, max: 9 }, classes: 1000 },
  diversity: {
    per_iteration: Array.from({ length: T }, (_, t) => ({
      iteration: t,
      records: 1e4,
      prompts: 100,
      class_entropy: est(2 - t / T),
      distinct_classes: 500 - t,
      new_classes: 50,
      classes_per_prompt: 5,
      duplicate_rate: est(0.1),
      near_duplicate_rate: est(0.2),
      chao1: { value: 600, observed: 500, singletons: 50, doubletons: 20 },
    })),
    trend: {
      class_entropy_slope: -0.01,
      duplicate_rate_slope: 0,
      near_duplicate_rate_slope: 0,
      collapsing: false,
    },
    minhash: { hashes: 64, shingle: 3, threshold: 0.8, sampled_prompts: 100 },
  },
  findings: [{ id: "x", severity: "warning", title: "t", detail: "d", advice: "a" }],
};

for (const [name, render] of [
  ["html", renderHtml],
  ["markdown", renderMarkdown],
  ["terminal", renderTerminal],
]) {
  const times = [];
  let size = 0;
  for (let r = 0; r < R; r++) {
    const start = performance.now();
    size = render(doc).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(9)} median ${times[Math.floor(R / 2)].toFixed(1)} ms  min ${times[0].toFixed(1)} ms  ${(size / 1024).toFixed(0)} KiB  (${S} signals, ${T} iterations, ${F} features)`,
  );
}
