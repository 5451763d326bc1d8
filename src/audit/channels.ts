/**
 * Per-channel facts: for each signal (and each non-signal source of task information: a fixed
 * teacher, mixed real data) whether it is external to the student, stable or drifting, whether X
 * reaches it given Z_t, its meta-level, the most information it can carry per sample (log2 of its
 * range), and whether it may depend on surface form.
 */
import { convertNats, type Unit } from "../info/index.js";
import type { PipelineSpec, Signal } from "../spec/index.js";
import { signalKindDefaults, usedSignals } from "../spec/index.js";
import type { Reachability } from "./dseparation.js";
import { type FlowGraph, NEXT_STUDENT, type SignalSource, STUDENT, signalSource } from "./flow-graph.js";

/** The level at which a signal speaks about a response (Li, Sun, Deng 2026, section 4). */
export type MetaLevel = "instance" | "class" | "verdict" | "score";

/** One signal, as a channel from the task to the next student. */
export interface Channel {
  name: string;
  kind: Signal["kind"];
  /** Human-readable kind. */
  label: string;
  /** Who computes it. */
  model: Signal["model"];
  /** Where its information comes from. */
  source: SignalSource;
  /** Not computed by the student or by a model trained on the student. */
  external: boolean;
  /** Does not change with the student (the opposite of drifting). */
  stable: boolean;
  /** X is d-connected to the signal given Z_t, Q_t and Y_t: it may carry task information of its own. */
  taskInformation: boolean;
  /** Selection uses it, so it reaches Z_{t+1}. */
  used: boolean;
  /** Carries task information into Z_{t+1}: taskInformation and used. */
  open: boolean;
  /** Its task information comes from a fixed, finite reservoir (a fixed model or dataset). */
  bounded: boolean;
  metaLevel: MetaLevel;
  /** The most information per sample, log2 of the range size, in `unit` (null: continuous or unknown). */
  maxPerSample: number | null;
  /** For a reference: the most information per sample spent on surface form, log2 M, in `unit`. */
  surfacePerSample: number | null;
  /** Acceptable forms M of a reference. */
  forms: number | null;
  /** It may depend on surface form (length, style, format) inside a behaviour class. */
  surfaceDependent: boolean;
  /** One active trail X ... signal ... Z_{t+1} (node labels), when the channel is open. */
  trail: string[] | null;
}

/** A non-signal source of task information: a fixed teacher or real data mixed into training. */
export interface Source {
  name: "teacher" | "real-data";
  label: string;
  /** A fixed reservoir (fixed teacher, fixed dataset) rather than fresh draws from the task. */
  bounded: boolean;
  open: boolean;
  trail: string[] | null;
}

const LOG2 = Math.log2;

function inUnit(bits: number | null, unit: Unit): number | null {
  return bits === null ? null : convertNats(bits * Math.LN2, unit);
}

function metaLevelOf(signal: Signal): MetaLevel {
  switch (signal.range.type) {
    case "reference":
      return "instance";
    case "class":
      return "class";
    case "binary":
      return "verdict";
    default:
      return "score";
  }
}

function maxBits(signal: Signal): number | null {
  const range = signal.range;
  switch (range.type) {
    case "binary":
      return 1;
    case "class":
      return LOG2(range.count);
    case "scalar":
      return range.levels === undefined ? null : LOG2(range.levels);
    case "reference":
      return range.classes === undefined ? null : LOG2(range.classes * (range.forms ?? 1));
  }
}

/** Extends a trail that reaches `node` by a directed path from `node` to Z_{t+1}. */
function downTo(graph: FlowGraph, node: string): string[] {
  const { dag } = graph;
  const target = dag.indexOf(NEXT_STUDENT);
  const previous = new Map<number, number>([[dag.indexOf(node), -1]]);
  const queue = [dag.indexOf(node)];
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (v === target) break;
    for (const c of dag.children[v]) {
      if (previous.has(c) || dag.ids[c] === STUDENT) continue;
      previous.set(c, v);
      queue.push(c);
    }
  }
  if (!previous.has(target)) return [];
  const path: string[] = [];
  for (let v = target; v !== dag.indexOf(node); v = previous.get(v)!) path.push(dag.ids[v]);
  return path.reverse();
}

function trailThrough(graph: FlowGraph, reach: Reachability, node: string): string[] | null {
  const head = reach.trail(node);
  if (head === null) return null;
  const tail = downTo(graph, node);
  if (tail.length === 0) return null;
  return [...head, ...tail].map((id) => graph.labels[id] ?? id);
}

/**
 * Describes every signal of a spec as a channel (order of the spec). `reach` is the reachability
 * from X given Z_t, Q_t and Y_t: a signal reached there says something about the task that the
 * student, the prompts and the responses do not.
 */
export function describeChannels(
  spec: PipelineSpec,
  graph: FlowGraph,
  reach: Reachability,
  unit: Unit,
): Channel[] {
  const used = new Set(usedSignals(spec).map((s) => s.name));
  const fixedPrompts = spec.prompts.source === "fixed";
  return spec.signals.map((signal): Channel => {
    const source = signalSource(signal);
    const node = graph.signalNodes[signal.name];
    const taskInformation = reach.reachable[graph.dag.indexOf(node)];
    const isUsed = used.has(signal.name);
    const open = taskInformation && isUsed;
    const forms = signal.range.type === "reference" ? (signal.range.forms ?? 1) : null;
    return {
      name: signal.name,
      kind: signal.kind,
      label: signalKindDefaults[signal.kind].label,
      model: signal.model,
      source,
      external: signal.model === "fixed",
      stable: signal.model === "fixed",
      taskInformation,
      used: isUsed,
      open,
      bounded: taskInformation && (source === "model" || (source === "dataset" && fixedPrompts)),
      metaLevel: metaLevelOf(signal),
      maxPerSample: inUnit(maxBits(signal), unit),
      surfacePerSample: forms === null ? null : inUnit(LOG2(forms), unit),
      forms,
      surfaceDependent: signal.surface,
      trail: open ? trailThrough(graph, reach, node) : null,
    };
  });
}

/** Describes the non-signal sources of task information (a fixed teacher, mixed real data). */
export function describeSources(spec: PipelineSpec, graph: FlowGraph, reach: Reachability): Source[] {
  const sources: Source[] = [];
  if (graph.teacherNode !== undefined) {
    const trail = trailThrough(graph, reach, graph.teacherNode);
    sources.push({
      name: "teacher",
      label: "responses of a fixed teacher",
      bounded: true,
      open: trail !== null,
      trail,
    });
  }
  if (graph.realDataNode !== undefined) {
    const trail = trailThrough(graph, reach, graph.realDataNode);
    sources.push({
      name: "real-data",
      label: spec.real_data.fresh ? "fresh real data every iteration" : "a fixed real dataset, reused",
      bounded: !spec.real_data.fresh,
      open: trail !== null,
      trail,
    });
  }
  return sources;
}
