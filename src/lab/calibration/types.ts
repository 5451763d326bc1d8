/**
 * Shapes shared by the calibration experiments: their parameter tables, the claims they check
 * against closed forms, and the result each returns.
 */
import type { Rng } from "../../info/index.js";

/** One tunable parameter of an experiment, with its type, default and valid range. */
export interface CalibrationParam {
  name: string;
  type: "int" | "number" | "enum";
  default: number | string;
  min?: number;
  max?: number;
  values?: readonly string[];
  help: string;
}

/** A prediction from theory set against what the simulation measured. */
export interface Claim {
  claim: string;
  predicted: number | string;
  measured: number | string;
  holds: boolean;
}

/** Parameter values after defaults are applied. */
export type ParamValues = Record<string, number | string>;

/** What a calibration run returns: per-generation series averaged over seeds, and its claims. */
export interface CalibrationResult {
  experiment: string;
  params: ParamValues;
  seeds: number;
  series: Record<string, number>[];
  claims: Claim[];
}

/** A calibration experiment against a published closed-form result. */
export interface Calibration {
  name: string;
  summary: string;
  citation: string;
  params: readonly CalibrationParam[];
  defaultSeeds: number;
  /** Runs `seeds` independent replicates, each from `rng.fork()`, and checks the claims. */
  run(params: ParamValues, seeds: number, rng: Rng): CalibrationResult;
}
