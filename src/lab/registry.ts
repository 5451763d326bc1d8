/**
 * The lab's experiments by name: one per claim of the paper, then the calibrations against
 * closed-form results of the model-collapse literature, in the order `openloop lab --list`
 * shows them.
 */
import { OpenloopError } from "../errors.js";
import { type Calibration, calibrations } from "./calibration/index.js";
import type { LabExperiment } from "./experiment.js";
import { closedLoop } from "./experiments/closed-loop.js";
import { diversity } from "./experiments/diversity.js";
import { driftingJudge } from "./experiments/drifting-judge.js";
import { metaLevel } from "./experiments/meta-level.js";
import { randomReward } from "./experiments/random-reward.js";
import { rewardHacking } from "./experiments/reward-hacking.js";
import { verifier } from "./experiments/verifier.js";

/** The claim experiments, in order. */
export const claimExperiments: readonly LabExperiment[] = [
  closedLoop,
  verifier,
  driftingJudge,
  metaLevel,
  rewardHacking,
  diversity,
  randomReward,
];

/** Any lab entry: a claim experiment or a calibration. */
export type LabEntry =
  | { kind: "claim"; experiment: LabExperiment }
  | { kind: "calibration"; experiment: Calibration };

/** Every lab entry, claims first. */
export function labEntries(): LabEntry[] {
  return [
    ...claimExperiments.map((experiment): LabEntry => ({ kind: "claim", experiment })),
    ...calibrations.map((experiment): LabEntry => ({ kind: "calibration", experiment })),
  ];
}

/** The names of every experiment, in order. */
export function experimentNames(): string[] {
  return labEntries().map((e) => e.experiment.name);
}

/** The entry named `name`; an unknown name is a usage error listing the valid ones. */
export function findEntry(name: string): LabEntry {
  const entry = labEntries().find((e) => e.experiment.name === name);
  if (entry === undefined) {
    throw new OpenloopError("usage", `unknown experiment '${name}'`, {
      hint: `valid experiments: ${experimentNames().join(", ")}`,
    });
  }
  return entry;
}
