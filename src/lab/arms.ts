/**
 * Building a lab experiment's arms: the loop parameters every experiment shares, the loop
 * options they resolve to, the pipeline spec those options implement (what the auditor
 * judges), and `buildArms`, so an experiment states only what is specific to each arm.
 */
import type { PipelineSpecInput } from "../spec/index.js";
import type { CalibrationParam, ParamValues } from "./calibration/index.js";
import type { Arm } from "./experiment.js";
import type { LoopOptions, Method } from "./loop.js";
import { TASK_NAMES, type TaskName } from "./tasks.js";

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

/** One arm as an experiment states it: its loop options beyond the shared params, its spec's name and description. */
export interface ArmPlan {
  name: string;
  loop: Partial<LoopOptions> & { method: Method };
  spec: string;
  description: string;
}

/** The arms of `plans`: each with the loop options from `params` and `loop`, and the spec they implement. */
export function buildArms(params: ParamValues, plans: readonly ArmPlan[]): Arm[] {
  return plans.map(({ name, loop, spec, description }) => {
    const options = loopOptions(params, loop);
    return { name, options, spec: labSpec(spec, description, options) };
  });
}
