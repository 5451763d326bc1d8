/**
 * The audit of a pipeline spec: builds the unrolled information-flow graph, decides by
 * d-separation whether the loop is information-open (X not d-separated from Z_{t+1} given Z_t),
 * and describes every channel, the inequality chain and the findings. Pure: no I/O.
 */
import type { Unit } from "../info/index.js";
import type { PipelineSpec } from "../spec/index.js";
import { type ChainStep, inequalityChain, samplesPerIteration } from "./chain.js";
import { type Channel, describeChannels, describeSources, type Source } from "./channels.js";
import { reachableGiven } from "./dseparation.js";
import { collectFindings, type Finding } from "./findings.js";
import { buildFlowGraph, NEXT_STUDENT, PROMPTS, RESPONSES, STUDENT, TASK } from "./flow-graph.js";

/** Audit options. */
export interface AuditOptions {
  /** Unit of the per-sample capacities (default bits). */
  unit?: Unit;
}

/** The verdict of an audit. */
export type Verdict = "open" | "closed";

/** Everything an audit finds about one spec. */
export interface AuditReport {
  name: string;
  description?: string;
  citation: string[];
  verdict: Verdict;
  unit: Unit;
  /** One active trail from X to Z_{t+1} given Z_t (node labels), or null when closed. */
  trail: string[] | null;
  /** One entry per signal of the spec, in spec order. */
  channels: Channel[];
  /** Non-signal sources of task information: a fixed teacher, mixed real data. */
  sources: Source[];
  chain: ChainStep[];
  findings: Finding[];
  /** Prompts per iteration times responses per prompt, when the spec says both. */
  samplesPerIteration: number | null;
  graph: { nodes: { id: string; label: string }[]; edges: { from: string; to: string }[] };
}

/**
 * Audits a resolved spec.
 * @example auditSpec(loadSpec("examples/pipelines/star.yaml")).verdict // "open"
 */
export function auditSpec(spec: PipelineSpec, options: AuditOptions = {}): AuditReport {
  const unit = options.unit ?? "bits";
  const graph = buildFlowGraph(spec);
  const reach = reachableGiven(graph.dag, [TASK], [STUDENT]);
  const open = reach.reachable[graph.dag.indexOf(NEXT_STUDENT)];
  const verdict: Verdict = open ? "open" : "closed";
  // A channel's own contribution: what it says about X beyond the student, the prompts and the
  // responses (a judge of a teacher's responses relays the teacher; it adds nothing of its own).
  const beyondResponses = reachableGiven(graph.dag, [TASK], [STUDENT, PROMPTS, RESPONSES]);
  const channels = describeChannels(spec, graph, beyondResponses, unit);
  const sources = describeSources(spec, graph, reach);
  const trail = open ? (reach.trail(NEXT_STUDENT)?.map((id) => graph.labels[id] ?? id) ?? null) : null;
  const citation =
    spec.citation === undefined ? [] : Array.isArray(spec.citation) ? spec.citation : [spec.citation];
  return {
    name: spec.name,
    description: spec.description,
    citation,
    verdict,
    unit,
    trail,
    channels,
    sources,
    chain: inequalityChain(spec, verdict, channels, sources, unit),
    findings: collectFindings(spec, verdict, channels, sources, unit),
    samplesPerIteration: samplesPerIteration(spec),
    graph: {
      nodes: graph.dag.ids.map((id) => ({ id, label: graph.labels[id] ?? id })),
      edges: graph.dag.edges().map(([from, to]) => ({ from, to })),
    },
  };
}
