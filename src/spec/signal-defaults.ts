/**
 * Kind-dependent defaults of a signal: who computes it, its range, whether it is grounded in the
 * task and whether it may depend on surface form. `resolveSignal` fills every omitted field so
 * the auditor and the runner see one fully specified signal.
 */
import type { SignalInput, SignalKind, SignalModel, SignalRange } from "./signal.js";

interface KindDefaults {
  model: SignalModel;
  range: SignalRange;
  grounded: boolean;
  surface: boolean;
  label: string;
}

const binary: SignalRange = { type: "binary" };
const scalar: SignalRange = { type: "scalar" };

/** Defaults per signal kind, with a human-readable label. */
export const signalKindDefaults: Readonly<Record<SignalKind, KindDefaults>> = {
  tests: { model: "fixed", range: binary, grounded: true, surface: false, label: "execution against tests" },
  "proof-checker": { model: "fixed", range: binary, grounded: true, surface: false, label: "proof checker" },
  "answer-match": {
    model: "fixed",
    range: binary,
    grounded: true,
    surface: false,
    label: "answer match against gold",
  },
  "format-check": {
    model: "fixed",
    range: binary,
    grounded: false,
    surface: true,
    label: "schema or format check",
  },
  "rubric-judge": { model: "fixed", range: scalar, grounded: true, surface: true, label: "rubric judge" },
  "reward-model": { model: "fixed", range: scalar, grounded: true, surface: true, label: "reward model" },
  "llm-judge": { model: "student", range: scalar, grounded: true, surface: true, label: "LLM judge" },
  "majority-vote": {
    model: "student",
    range: binary,
    grounded: true,
    surface: false,
    label: "majority vote (self-consistency)",
  },
  random: { model: "fixed", range: binary, grounded: false, surface: false, label: "random reward" },
  "human-label": { model: "fixed", range: binary, grounded: true, surface: true, label: "human labels" },
  reference: {
    model: "fixed",
    range: { type: "reference" },
    grounded: true,
    surface: true,
    label: "reference answer",
  },
};

/** A signal with every kind-dependent field filled in. */
export interface Signal extends Omit<SignalInput, "model" | "range" | "grounded" | "surface"> {
  model: SignalModel;
  range: SignalRange;
  grounded: boolean;
  surface: boolean;
}

/**
 * Fills the omitted fields of a signal from its kind (and, for a reference, `forms` from the
 * task's number of acceptable forms).
 * @example resolveSignal({ name: "ok", kind: "tests" }, 1).model // "fixed"
 */
export function resolveSignal(signal: SignalInput, acceptableForms: number): Signal {
  const defaults = signalKindDefaults[signal.kind];
  let model = signal.model ?? defaults.model;
  if (signal.model === undefined && signal.kind === "reward-model" && signal.trained_on === "student-outputs")
    model = "trained-on-student";
  let range = signal.range ?? defaults.range;
  if (range.type === "reference" && range.forms === undefined) range = { ...range, forms: acceptableForms };
  return {
    ...signal,
    model,
    range,
    grounded: signal.grounded ?? defaults.grounded,
    surface: signal.surface ?? defaults.surface,
  };
}
