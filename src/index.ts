/**
 * The public API of openloop: estimators, the pipeline spec and auditor, rollout records,
 * analysis, the lab and the runner. Each line re-exports one module's public surface.
 */

export * from "./analyze/index.js";
export * from "./audit/index.js";
export type { ErrorCode, ErrorLocation } from "./errors.js";
export { formatError, OpenloopError } from "./errors.js";
export * from "./info/index.js";
export * from "./lab/index.js";
export * from "./records/index.js";
export * from "./report/index.js";
export * from "./run/index.js";
export * from "./spec/index.js";
