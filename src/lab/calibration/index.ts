/**
 * Calibration experiments: the lab's learners-free checks against known closed-form results of
 * the model-collapse literature and classical drift theory (docs/lab.md, "Calibration").
 */
export {
  categorical,
  expectedHeterozygosity,
  expectedSupportReplace,
  zipfProbabilities,
} from "./categorical.js";
export { gaussian } from "./gaussian.js";
export { describeParam, resolveParams } from "./params.js";
export { predictedRegressionError, regression } from "./regression.js";
export type { Calibration, CalibrationParam, CalibrationResult, Claim, ParamValues } from "./types.js";

import { categorical } from "./categorical.js";
import { gaussian } from "./gaussian.js";
import { regression } from "./regression.js";

/** All calibration experiments, in the order `openloop lab --list` shows them. */
export const calibrations = [gaussian, regression, categorical] as const;
