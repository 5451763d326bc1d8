/**
 * What a lab experiment is: a set of arms (each a pipeline spec run on the built-in student
 * with given loop options), the quantities to average per iteration, and the claims of the
 * paper checked against what the arms measured. Also the parameters every experiment shares
 * and the helpers that turn per-seed series into claim measurements.
 */
import type { Unit } from "../info/index.js";
import type { PipelineSpecInput } from "../spec/index.js";
import type { CalibrationParam, Claim, ParamValues } from "./calibration/index.js";
import type { LoopOptions, LoopResult, LoopRow, Method } from "./loop.js";
import { type MeanCI, meanCI } from "./stats.js";
import { TASK_NAMES, type TaskName } from "./tasks.js";

/** One configuration of an experiment: its loop options and the pipeline spec they implement. */
export interface Arm {
  name: string;
  options: LoopOptions;
  spec: PipelineSpecInput;
}

/** Per arm, one loop result per seed (same seed order in every arm: comparisons are paired). */
export type ArmResults = Record<string, LoopResult[]>;

/** A lab experiment: one claim of the paper, reproduced with the built-in student. */
export interface LabExperiment {
  name: string;
  summary: string;
  params: readonly CalibrationParam[];
  defaultSeeds: number;
  /** Loop-row quantities averaged per iteration in the series. */
  quantities: readonly (keyof LoopRow)[];
  arms(params: ParamValues): Arm[];
  /** The claims, from the per-seed results and the audit verdict of each arm's spec; information shown in `unit`. */
  claims(params: ParamValues, results: ArmResults, verdicts: Record<string, string>, unit: Unit): Claim[];
  /** Measurements reported without a closed-form prediction. */
  report?(params: ParamValues, results: ArmResults): Reported[];
}

/** A measured quantity with no closed-form prediction. */
export interface Reported {
  quantity: string;
  measured: string;
}

/** The loop parameters every lab experiment takes, with per-experiment defaults. */
export function loopParams(defaults: Partial<Record<string, number | string>> = {}): CalibrationParam[] {
  const d = (name: string, fallback: number | string) => defaults[name] ?? fallback;
  return [
    { name: "task", type: "enum", values: TASK_NAMES, default: d("task", "count"), help: "task family" },
    {
      name: "iterations",
      type: "int",
      min: 1,
      max: 1000,
      default: d("iterations", 30),
      help: "loop iterations",
    },
    { name: "batch", type: "int", min: 1, max: 512, default: d("batch", 16), help: "prompts per iteration" },
    { name: "group", type: "int", min: 2, max: 64, default: d("group", 8), help: "samples per prompt" },
    {
      name: "held_out",
      type: "int",
      min: 10,
      max: 500,
      default: d("held_out", 200),
      help: "held-out prompts",
    },
    {
      name: "warmup",
      type: "int",
      min: 0,
      max: 1000,
      default: d("warmup", 10),
      help: "SFT steps on references (32 each) before the loop",
    },
    {
      name: "hidden",
      type: "int",
      min: 1,
      max: 256,
      default: d("hidden", 16),
      help: "hidden units of the student",
    },
    { name: "lr", type: "number", min: 1e-5, max: 1, default: d("lr", 0.03), help: "Adam learning rate" },
    {
      name: "temperature",
      type: "number",
      min: 0.05,
      max: 5,
      default: d("temperature", 1),
      help: "sampling temperature",
    },
    {
      name: "forms",
      type: "int",
      min: 1,
      max: 16,
      default: d("forms", 4),
      help: "acceptable surface forms M",
    },
    { name: "pads", type: "int", min: 1, max: 32, default: d("pads", 4), help: "padding lengths 0..pads-1" },
  ];
}

/** Loop options from resolved params, with the method-specific fields given in `extra`. */
export function loopOptions(
  params: ParamValues,
  extra: Partial<LoopOptions> & { method: Method },
): LoopOptions {
  return {
    task: params.task as TaskName,
    reward: "verdict",
    lengthWeight: 0,
    forms: params.forms as number,
    pads: params.pads as number,
    hidden: params.hidden as number,
    lr: params.lr as number,
    temperature: params.temperature as number,
    iterations: params.iterations as number,
    batch: params.batch as number,
    group: params.group as number,
    heldOut: params.held_out as number,
    warmup: params.warmup as number,
    prompts: "fresh",
    pool: 8,
    referencePad: "random",
    paddingStats: true,
    keepRecords: false,
    ...extra,
  };
}

/** The signals a lab loop can use, as pipeline-spec signals. */
const SIGNALS = {
  verdict: { name: "verdict", kind: "answer-match", model: "fixed", range: { type: "binary" } },
  judge: { name: "judge", kind: "llm-judge", model: "student", range: { type: "binary" } },
  coin: { name: "coin", kind: "random", description: "Bernoulli(0.5), independent of the response" },
  length: {
    name: "length",
    kind: "format-check",
    model: "fixed",
    surface: true,
    grounded: false,
    description: "a bonus for padding tokens",
  },
  reference: { name: "reference", kind: "reference", model: "fixed" },
} as const;

/** The pipeline spec of a lab loop: what the auditor judges. */
export function labSpec(name: string, description: string, options: LoopOptions): PipelineSpecInput {
  const signals =
    options.method === "self"
      ? []
      : options.method === "sft"
        ? [SIGNALS.reference]
        : options.method === "judge"
          ? [SIGNALS.judge]
          : options.reward === "random"
            ? [SIGNALS.coin]
            : options.reward === "verdict"
              ? [SIGNALS.verdict]
              : [SIGNALS.verdict, SIGNALS.length];
  const selection =
    options.method === "self"
      ? { mode: "none" as const }
      : options.method === "sft"
        ? { mode: "reference" as const }
        : options.method === "rlvr"
          ? { mode: "reward" as const }
          : { mode: "filter" as const, threshold: 1 };
  return {
    version: 1,
    name,
    description,
    citation: "Li, Sun, Deng, An Information-Theoretic Criterion for Efficient Data Synthesis (ICML 2026)",
    iterations: options.iterations,
    task: { name: `lab-${options.task}`, acceptable_forms: options.forms, builtin: options.task },
    prompts: {
      source: options.prompts === "fresh" ? "procedural" : "fixed",
      origin: "real",
      count: options.prompts === "fresh" ? options.batch : options.pool,
    },
    generator:
      options.method === "sft"
        ? { role: "teacher", samples_per_prompt: options.group }
        : {
            role: "student",
            samples_per_prompt: options.group,
            builtin: { task: options.task, temperature: options.temperature },
          },
    signals: signals.map((s) => ({ ...s })) as PipelineSpecInput["signals"],
    selection,
  };
}

/** Per-seed values of `q` in row `index` (negative counts from the end). */
export function at(results: LoopResult[], q: keyof LoopRow, index: number): number[] {
  return results.map((r) => r.rows[index < 0 ? r.rows.length + index : index][q]);
}

/** Per-seed change of `q` from the first row to the last. */
export function change(results: LoopResult[], q: keyof LoopRow): number[] {
  return results.map((r) => r.rows[r.rows.length - 1][q] - r.rows[0][q]);
}

/** Per-seed mean of `q` over iterations 1..end (the rows that carry signal measurements). */
export function overIterations(results: LoopResult[], q: keyof LoopRow, from = 1): number[] {
  return results.map((r) => {
    const rows = r.rows.slice(from);
    return rows.reduce((a, row) => a + row[q], 0) / rows.length;
  });
}

/** Per-seed differences a - b of two paired measurements. */
export function paired(a: number[], b: number[]): number[] {
  return a.map((v, i) => v - b[i]);
}

/** "0.123 [0.1, 0.15]": a mean and its 95% interval, rounded. */
export function formatCI(ci: MeanCI, digits = 3): string {
  const r = (v: number) => Number(v.toFixed(digits));
  return `${r(ci.mean)} [${r(ci.lo)}, ${r(ci.hi)}]`;
}

/** An information quantity given in bits, expressed in `unit`. */
export function inUnit(bits: number, unit: Unit): number {
  return unit === "bits" ? bits : bits * Math.LN2;
}

/**
 * A claim measured as a mean with its interval; `holds` decides from the interval. With `unit`,
 * the values are information in bits: `holds` still sees bits, the measurement is shown in `unit`.
 */
export function ciClaim(
  claim: string,
  predicted: string,
  values: number[],
  holds: (ci: MeanCI) => boolean,
  unit?: Unit,
): Claim {
  const ci = meanCI(values);
  if (unit === undefined) return { claim, predicted, measured: formatCI(ci), holds: holds(ci) };
  const shown = meanCI(values.map((v) => inUnit(v, unit)));
  return { claim, predicted, measured: `${formatCI(shown)} ${unit}`, holds: holds(ci) };
}

/** The claim that the audit of an arm's spec gives the verdict the paper predicts. */
export function auditClaim(
  arm: string,
  expected: "open" | "closed",
  verdicts: Record<string, string>,
): Claim {
  const verdict = verdicts[arm] ?? "unknown";
  return {
    claim: `the audit of the ${arm} spec says the loop is information-${expected}`,
    predicted: expected,
    measured: verdict,
    holds: verdict === expected,
  };
}
