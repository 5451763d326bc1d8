/**
 * The analysis of rollout records: one module per metric family, composed into one
 * `AnalysisDocument` with findings, and decorrelation of a feature from a signal. This file is
 * the explicit list of what other folders may use.
 */
export type { AnalyzeOptions } from "./analyze.js";
export { analyzeRecords, FIELD_METRICS } from "./analyze.js";
export { binaryAsymmetricCapacity } from "./capacity.js";
export type { DecorrelateOptions, DecorrelateResult } from "./decorrelate.js";
export { decorrelate } from "./decorrelate.js";
export type {
  AnalysisDocument,
  AnalysisFinding,
  AnalysisUnit,
  Chao1,
  Diversity,
  DiversityIteration,
  Drift,
  Estimate,
  Fidelity,
  HackingChannel,
  HistogramBin,
  InputFile,
  IterationSignalMetrics,
  PassRateDistribution,
  SignalAnalysis,
  SignalMetrics,
  SignalValueKind,
  SkippedLine,
  SurfaceWaste,
  ZeroInfoPrompts,
} from "./document.js";
export { ANALYSIS_SCHEMA } from "./document.js";
export { jaccardEstimate, minhashSketch } from "./minhash.js";
