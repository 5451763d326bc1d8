/**
 * What a lab experiment is: a set of arms (each a pipeline spec run on the built-in student
 * with given loop options), the quantities to average per iteration, and the claims of the
 * paper checked against what the arms measured. Building arms is in arms.ts, building claims in
 * claims.ts.
 */
import type { Unit } from "../info/index.js";
import type { PipelineSpecInput } from "../spec/index.js";
import type { CalibrationParam, Claim, ParamValues } from "./calibration/index.js";
import type { LoopOptions, LoopResult, LoopRow } from "./loop.js";

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
