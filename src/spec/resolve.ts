/**
 * The resolved pipeline spec: a validated spec whose signals have every kind-dependent field
 * filled in, and the list of signals that actually enter the training data.
 */
import type { ParsedSpec } from "./schema.js";
import { resolveSignal, type Signal } from "./signal-defaults.js";

/** A validated spec with resolved signals: what `audit` and `run` consume. */
export interface PipelineSpec extends Omit<ParsedSpec, "signals"> {
  signals: Signal[];
}

/** Resolves every signal of a validated spec (see `resolveSignal`). */
export function resolveSpec(parsed: ParsedSpec): PipelineSpec {
  return {
    ...parsed,
    signals: parsed.signals.map((signal) => resolveSignal(signal, parsed.task.acceptable_forms)),
  };
}

/**
 * The signals selection uses: `selection.signals` when given, else every signal; none when the
 * selection mode is `none` (pure self-training).
 */
export function usedSignals(spec: PipelineSpec): Signal[] {
  if (spec.selection.mode === "none") return [];
  const names = spec.selection.signals;
  return names === undefined ? spec.signals : spec.signals.filter((s) => names.includes(s.name));
}
