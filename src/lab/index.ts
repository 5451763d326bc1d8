/**
 * The lab: every claim of the paper as a reproducible experiment with small learners trained by
 * gradient descent (autograd, Adam, a shared-parameter student, procedural tasks with
 * verifiers), and calibrations against closed-form results of the model-collapse literature.
 */
export { Adam, type AdamOptions } from "./adam.js";
export {
  add,
  backward,
  constant,
  gather,
  logSoftmax,
  matmul,
  mean,
  mul,
  relu,
  rows,
  scale,
  softmaxCrossEntropy,
  sum,
  Tensor,
  tanh,
  tensor,
  zeroGrad,
} from "./autograd.js";
export type {
  Calibration,
  CalibrationParam,
  CalibrationResult,
  Claim,
  ParamValues,
} from "./calibration/index.js";
export { calibrations } from "./calibration/index.js";
export type { Arm, ArmResults, LabExperiment, Reported } from "./experiment.js";
export {
  FORMS,
  MAX_FORMS,
  numberWords,
  PAD,
  padCount,
  parseAnswer as parseLabAnswer,
  render,
  roman,
} from "./forms.js";
export type { LoopOptions, LoopResult, LoopRow, Method, RewardKind } from "./loop.js";
export { runLoop } from "./loop.js";
export type { Evaluation, Example, PolicyConfig, Sample } from "./policy.js";
export { Policy } from "./policy.js";
export type { LoopJob } from "./pool.js";
export { defaultWorkers, runLoops } from "./pool.js";
export type { LabEntry } from "./registry.js";
export { claimExperiments, experimentNames, findEntry, labEntries } from "./registry.js";
export type { ArmAudit, ExperimentResult, LabOptions, LabRun, RunRecords } from "./run.js";
export { averageSeries, runLab } from "./run.js";
export type { IntervalKind, MeanCI } from "./stats.js";
export { meanCI, NORMAL99, T95, tQuantile95, Z99 } from "./stats.js";
export type { Prompt, TaskFamily, TaskName } from "./tasks.js";
export { splitPrompts, TASK_NAMES, taskFamily, verify as verifyLabAnswer } from "./tasks.js";
export { labCharts, labDocument, labHtml, writeLabOutput } from "./write.js";
