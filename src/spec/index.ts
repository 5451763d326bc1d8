/**
 * The pipeline spec: schema, kind defaults, loading with located errors, JSON Schema export, and
 * the verifier configuration used by `run`.
 */
export type { SpecIssue } from "./issues.js";
export { formatPath } from "./issues.js";
export { specJsonSchema } from "./json-schema.js";
export type { SpecCheck } from "./load.js";
export { checkSpec, formatSpecIssue, loadSpec, parseSpec } from "./load.js";
export type { PipelineSpec } from "./resolve.js";
export { resolveSpec, usedSignals } from "./resolve.js";
export type {
  BuiltinModel,
  Endpoint,
  Generator,
  ParsedSpec,
  PipelineSpecInput,
  Prompts,
  RealData,
  RealDataMode,
  Selection,
  SelectionMode,
  Task,
} from "./schema.js";
export {
  builtinModelSchema,
  endpointSchema,
  pipelineSpecSchema,
  realDataModes,
  selectionModes,
} from "./schema.js";
export type { SignalInput, SignalKind, SignalModel, SignalRange } from "./signal.js";
export { signalKinds, signalModels, signalRangeSchema, signalSchema } from "./signal.js";
export type { Signal } from "./signal-defaults.js";
export { resolveSignal, signalKindDefaults } from "./signal-defaults.js";
export type {
  CodeTests,
  CodeVerifierConfig,
  CommandVerifierConfig,
  ContainsVerifierConfig,
  JudgeVerifierConfig,
  MathVerifierConfig,
  RegexVerifierConfig,
  SchemaVerifierConfig,
  VerifierConfig,
  VerifierConfigInput,
  VerifierKind,
} from "./verifier-config.js";
export { verifierConfigSchema, verifierKinds } from "./verifier-config.js";
