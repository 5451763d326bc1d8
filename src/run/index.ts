/**
 * The run layer's public surface: external verifiers and the sandbox for untrusted code.
 * (The runner, generators and journal are added here by the runner's own lines.)
 */

export type {
  BuiltinPrompt,
  BuiltinStudent,
  BuiltinStudentOptions,
  StudentEvaluation,
  TrainingExample,
  TrainingSummary,
} from "./builtin/index.js";
export { createBuiltinStudent, decodeResponse, MIN_TEMPERATURE, requestSeed } from "./builtin/index.js";
export type { Ledger, LedgerIteration, LedgerSignal } from "./ledger.js";
export { ledgerIteration, ledgerTotals, promptSignalEntropy } from "./ledger.js";
export type { IterationOutputs, RunOutputs } from "./outputs.js";
export {
  assembleOutputs,
  renderIteration,
  renderLedger,
  renderOutputs,
  selectedSamples,
  writeFileAtomic,
  writeOutputs,
} from "./outputs.js";
export { formatProgress } from "./progress.js";
export type { RealMixer, RealSample } from "./runner/real.js";
export { createRealMixer, openRealData, readRealFile } from "./runner/real.js";
export { renderLedgerText } from "./runner/render.js";
export type { RunOptions, RunProgress, RunResult } from "./runner/run.js";
export { runPipeline } from "./runner/run.js";
export { deriveSeed } from "./runner/seed.js";
export type {
  CandidateEntry,
  IterationEntry,
  JournalEntry,
  RunPrompt,
  TrainableStudent,
  TrainingExample as RunTrainingExample,
  UnitEntry,
} from "./runner/types.js";
export type { SandboxLimits, SandboxRequest, SandboxResult } from "./sandbox/index.js";
export {
  bwrapArgs,
  findBwrap,
  findPrlimit,
  prlimitArgs,
  runSandboxed,
  SANDBOX_WORKDIR,
  sandboxAvailable,
  sandboxLimits,
} from "./sandbox/index.js";
export type { UnitSelection } from "./selection.js";
export { selectUnit } from "./selection.js";
export type { BuiltinServer, CompletionResponse, ServeOptions } from "./serve/index.js";
export { builtinModelId, startServer } from "./serve/index.js";
export type {
  CodeLanguage,
  CodeResult,
  CodeRun,
  CodeStatus,
  ExtractMode,
  MathCheck,
  MathCheckOptions,
  Verdict as VerifierVerdict,
  VerifierRecord,
  VerifyOptions,
} from "./verifiers/index.js";
export {
  checkMath,
  classifyRun,
  compileSchema,
  defaultRuntime,
  extractAnswer,
  extractBoxed,
  extractCode,
  JAVASCRIPT_HARNESS,
  JUDGE_RETRY,
  JUDGE_SYSTEM_PROMPT,
  judgeMessage,
  MATH_LIMITS,
  PYTHON_HARNESS,
  parseAnswer,
  parseJudgeScore,
  runCode,
  textField,
  verify,
  verifyCode,
  verifyCommand,
  verifyContains,
  verifyJudge,
  verifyMath,
  verifyRegex,
  verifySchema,
} from "./verifiers/index.js";
