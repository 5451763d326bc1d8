/**
 * Named presets: field maps for public trainers' rollout logs, so `--preset NAME` reads them
 * without hand-written `--map` entries. Each preset documents the format it reads (the trainer
 * code that writes it); see docs/records.md.
 */
import { OpenloopError } from "../errors.js";
import { applyFieldMap, type FieldMapEntry } from "./map.js";

/** A named mapping of a foreign log format onto rollout records. */
export interface Preset {
  name: string;
  /** what writes this format */
  source: string;
  description: string;
  map: FieldMapEntry[];
  /** top-level numeric or boolean fields that are not signals (all other ones are) */
  notSignals: string[];
}

/** The built-in presets. */
export const PRESETS: readonly Preset[] = [
  {
    name: "trl-grpo",
    source:
      "huggingface/trl GRPOTrainer with log_completions=True: the completions table (columns step, prompt, " +
      "completion, one column per reward function named after it, advantage), as written to " +
      "<output_dir>/completions/completions_<step>.parquet or exported from the W&B/trackio table",
    description:
      "prompt text identifies the prompt; step is the iteration; every reward-function column is a signal",
    map: [
      { target: "iteration", source: "step" },
      { target: "prompt", source: "prompt" },
      { target: "response", source: "completion" },
    ],
    notSignals: ["step", "advantage", "mode"],
  },
  {
    name: "verl",
    source:
      "volcengine/verl RayPPOTrainer._dump_generations with trainer.rollout_data_dir set: one " +
      "<global_step>.jsonl per step with fields input, output, gts, score, step, plus the reward " +
      "function's extra info (e.g. acc, pred from math_dapo)",
    description:
      "input text identifies the prompt; step is the iteration; score and the numeric extra info are signals; pred (if any) is the class",
    map: [
      { target: "iteration", source: "step" },
      { target: "prompt", source: "input" },
      { target: "response", source: "output" },
      { target: "class", source: "pred" },
    ],
    notSignals: ["step"],
  },
];

/**
 * The preset called `name`; a `usage` error listing the presets otherwise.
 * @example findPreset("verl").map[0] // { target: "iteration", source: "step" }
 */
export function findPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (preset === undefined) {
    throw new OpenloopError("usage", `unknown preset '${name}'`, {
      hint: `presets are ${PRESETS.map((p) => p.name).join(", ")}`,
    });
  }
  return preset;
}

/**
 * Maps a row of the preset's format: its field map, then every other top-level number or
 * boolean (not listed in `notSignals`) as a signal of the same name.
 */
export function applyPreset(row: Record<string, unknown>, preset: Preset): Record<string, unknown> {
  const out = applyFieldMap(row, preset.map);
  const used = new Set(preset.map.map((e) => e.source));
  const signals: Record<string, unknown> =
    out.signals !== null && typeof out.signals === "object" ? { ...(out.signals as object) } : {};
  for (const key in row) {
    if (used.has(key) || preset.notSignals.includes(key)) continue;
    const value = row[key];
    if (typeof value === "number" || typeof value === "boolean") signals[key] = value;
  }
  out.signals = signals;
  return out;
}
