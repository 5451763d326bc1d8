/**
 * The information-openness auditor (pure, no I/O): the unrolled information-flow graph of a
 * pipeline, d-separation, the verdict, per-channel facts, the inequality chain, findings, and
 * their text and Markdown renderings.
 */
export type { AuditOptions, AuditReport, Verdict } from "./audit.js";
export { auditSpec } from "./audit.js";
export type { ChainStep } from "./chain.js";
export { inequalityChain, samplesPerIteration } from "./chain.js";
export type { Channel, MetaLevel, Source } from "./channels.js";
export { describeChannels, describeSources } from "./channels.js";
export { Dag } from "./dag.js";
export type { Reachability } from "./dseparation.js";
export { dSeparated, reachableGiven } from "./dseparation.js";
export type { Finding, FindingId, Severity } from "./findings.js";
export { collectFindings } from "./findings.js";
export type { FlowGraph, SignalSource } from "./flow-graph.js";
export { buildFlowGraph, mixesRealData, NEXT_STUDENT, STUDENT, signalSource, TASK } from "./flow-graph.js";
export { renderAuditDot } from "./render-dot.js";
export { renderAuditMarkdown } from "./render-markdown.js";
export type { TextStyles } from "./render-text.js";
export { formatCapacity, renderAuditText } from "./render-text.js";
