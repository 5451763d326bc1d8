/**
 * The information-flow graph of one iteration of a pipeline, unrolled to the next model state:
 * task X, student Z_t, prompts Q_t, responses Y_t, each signal and what it consults, real data,
 * the selected data D_t and Z_{t+1}. Edges follow from the spec: gold answers and tests depend on
 * X, a self-judge only on Z_t and the response, a judge retrained on the student's outputs is a
 * function of Z_t, a random reward depends only on its own noise, fresh real data depends on X.
 *
 * Modelling choices (docs/audit.md): the student's history is summarised by the edge X -> Z_t;
 * prompts say what is asked, not what is right, so unlabeled prompts hang off a prompt source that
 * is independent of X (or off Z_t when the student writes them).
 */
import type { PipelineSpec, Signal } from "../spec/index.js";
import { usedSignals } from "../spec/index.js";
import { Dag } from "./dag.js";

/** Where a signal's task information (if any) comes from. */
export type SignalSource = "task" | "dataset" | "model" | "student" | "noise" | "none";

/** The unrolled graph with the roles of its nodes. */
export interface FlowGraph {
  dag: Dag;
  /** A readable label for every node id. */
  labels: Record<string, string>;
  /** The node of each signal, by signal name. */
  signalNodes: Record<string, string>;
  /** The teacher node, when a teacher generates the responses. */
  teacherNode?: string;
  /** The real-data node, when real data is mixed into every iteration. */
  realDataNode?: string;
}

/** Node ids of the fixed roles. */
export const TASK = "X";
export const STUDENT = "Z_t";
export const NEXT_STUDENT = "Z_t+1";
export const PROMPTS = "Q_t";
export const RESPONSES = "Y_t";
const SELECTED = "D_t";

/** Where a signal's information comes from, from its kind and who computes it. */
export function signalSource(signal: Signal): SignalSource {
  if (signal.model !== "fixed") return "student";
  if (signal.kind === "random") return "noise";
  if (!signal.grounded) return "none";
  switch (signal.kind) {
    case "proof-checker":
    case "human-label":
      return "task";
    case "tests":
    case "answer-match":
    case "reference":
      return "dataset";
    default:
      return "model";
  }
}

/** Whether real data enters every iteration's training set. */
export function mixesRealData(spec: PipelineSpec): boolean {
  const mode = spec.real_data.mode;
  return mode === "replace" || mode === "accumulate" || mode === "fraction";
}

/**
 * Builds the unrolled information-flow graph of a spec.
 * @example buildFlowGraph(spec).dag.edges()
 */
export function buildFlowGraph(spec: PipelineSpec): FlowGraph {
  const dag = new Dag();
  const labels: Record<string, string> = {};
  const node = (id: string, label: string) => {
    dag.addNode(id);
    labels[id] = label;
    return id;
  };
  node(TASK, "task X");
  node(STUDENT, "student Z_t");
  node(PROMPTS, "prompts Q_t");
  node(RESPONSES, "responses Y_t");
  node(SELECTED, "selected data D_t");
  node(NEXT_STUDENT, "student Z_{t+1}");
  dag.addEdge(TASK, STUDENT);

  const fixedPrompts = spec.prompts.source === "fixed";
  if (spec.prompts.origin === "student") {
    dag.addEdge(STUDENT, PROMPTS);
  } else {
    const writer = node("P", `${spec.prompts.origin} prompt source`);
    if (fixedPrompts) {
      const set = node("prompt-set", "fixed prompt set");
      dag.addEdge(writer, set);
      dag.addEdge(set, PROMPTS);
    } else dag.addEdge(writer, PROMPTS);
  }

  let teacherNode: string | undefined;
  if (spec.generator.role === "teacher") {
    teacherNode = node("T", "fixed teacher T");
    dag.addEdge(TASK, teacherNode);
    dag.addEdge(teacherNode, RESPONSES);
  } else dag.addEdge(STUDENT, RESPONSES);
  dag.addEdge(PROMPTS, RESPONSES);

  const signalNodes: Record<string, string> = {};
  for (const signal of spec.signals) {
    const id = node(`S[${signal.name}]`, `signal ${signal.name}`);
    signalNodes[signal.name] = id;
    const looksAtResponse = signal.kind !== "reference";
    if (looksAtResponse) dag.addEdge(RESPONSES, id);
    dag.addEdge(PROMPTS, id);
    switch (signalSource(signal)) {
      case "student":
        if (signal.model === "student") dag.addEdge(STUDENT, id);
        else {
          const judge = node(`J[${signal.name}]`, `${signal.name}'s model (retrained on the student)`);
          dag.addEdge(STUDENT, judge);
          dag.addEdge(judge, id);
        }
        break;
      case "noise": {
        const noise = node(`N[${signal.name}]`, `${signal.name}'s noise`);
        dag.addEdge(noise, id);
        break;
      }
      case "task":
        dag.addEdge(TASK, id);
        break;
      case "dataset": {
        const ref = node(
          `R[${signal.name}]`,
          fixedPrompts ? `${signal.name}'s references (fixed)` : `${signal.name}'s references (fresh)`,
        );
        dag.addEdge(TASK, ref);
        dag.addEdge(fixedPrompts && dag.has("prompt-set") ? "prompt-set" : PROMPTS, ref);
        dag.addEdge(ref, id);
        break;
      }
      case "model": {
        const judge = node(`J[${signal.name}]`, `${signal.name}'s fixed model`);
        dag.addEdge(TASK, judge);
        dag.addEdge(judge, id);
        break;
      }
      case "none":
        break;
    }
  }

  let realDataNode: string | undefined;
  if (mixesRealData(spec)) {
    realDataNode = node("R_real", spec.real_data.fresh ? "fresh real data" : "fixed real dataset");
    dag.addEdge(TASK, realDataNode);
    dag.addEdge(realDataNode, SELECTED);
  }

  const used = usedSignals(spec);
  dag.addEdge(PROMPTS, SELECTED);
  const trainsOnReferences =
    spec.selection.mode === "reference" && used.some((s) => s.range.type === "reference");
  if (!trainsOnReferences) dag.addEdge(RESPONSES, SELECTED);
  for (const signal of used) dag.addEdge(signalNodes[signal.name], SELECTED);
  dag.addEdge(STUDENT, NEXT_STUDENT);
  dag.addEdge(SELECTED, NEXT_STUDENT);
  return { dag, labels, signalNodes, teacherNode, realDataNode };
}
