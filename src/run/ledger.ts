/**
 * The information ledger of a run: per iteration, how many samples were drawn, how many failed,
 * the accept rate, and the bits each signal injected. A deterministic signal S of a response
 * carries I(Y;S|Q) = H(S|Q) bits per sample (Li, Sun, Deng 2026, section 3); the ledger estimates
 * H(S|Q=q) for every prompt with the plug-in entropy of the signal's values among that prompt's
 * successful candidates, reports their sum over prompts (`bits`) and their mean (`bits_per_sample`,
 * the per-sample I(Y;S|Q)), and lists the prompts whose signal never varied (they injected nothing).
 */
import { entropyFromCounts, type Unit } from "../info/index.js";
import type { UnitEntry } from "./runner/types.js";

/** What one signal injected in one iteration. */
export interface LedgerSignal {
  /** Sum over prompts of H(S | Q = q). */
  bits: number;
  /** Mean over prompts of H(S | Q = q): the estimate of I(Y;S|Q) per sample. */
  bits_per_sample: number;
  /** Prompts where the signal took one value only (H(S|Q=q) = 0). */
  zero_info_prompts: number;
  zero_info_prompt_ids: string[];
}

/** One iteration of the ledger. */
export interface LedgerIteration {
  iteration: number;
  prompts: number;
  samples: number;
  errors: number;
  accepted: number;
  accept_rate: number | null;
  /** Real samples (`real_data`) in the iteration's training data, beside the `accepted` synthetic ones. */
  real_samples: number;
  signals: Record<string, LedgerSignal>;
  /** Built-in student: examples it was trained on after this iteration, and its held-out accuracy then. */
  trained_on?: number;
  held_out_accuracy?: number;
}

/** The ledger of a run (ledger.json). */
export interface Ledger {
  version: 1;
  spec: string;
  generator: string;
  unit: Unit;
  selection: string;
  selection_signals: string[];
  /**
   * Every signal's kind and who computes it. `deterministic` is false for a `random` signal: its
   * H(S|Q) is its own noise, and it carries I(Y;S|Q) = 0 bits about the response.
   */
  signals: Record<string, { kind: string; model: string; deterministic: boolean }>;
  /** Built-in student: held-out accuracy before any training. */
  held_out_accuracy_initial?: number;
  iterations: LedgerIteration[];
  totals: {
    prompts: number;
    samples: number;
    errors: number;
    accepted: number;
    accept_rate: number | null;
    real_samples: number;
    bits: Record<string, number>;
  };
}

/** H(S | Q = q) of one signal over one prompt's successful candidates (plug-in). */
export function promptSignalEntropy(unit: UnitEntry, signal: string, unit_: Unit = "bits"): number {
  const counts = new Map<string, number>();
  for (const c of unit.candidates) {
    if (c.error !== undefined || !(signal in c.signals)) continue;
    const key = JSON.stringify(c.signals[signal]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size <= 1) return 0;
  return entropyFromCounts([...counts.values()], { estimator: "plugin", unit: unit_ });
}

/** The ledger line of one iteration from its units (any order), accepted and real sample counts. */
export function ledgerIteration(
  iteration: number,
  units: UnitEntry[],
  accepted: number,
  signalNames: string[],
  unit: Unit,
  realSamples = 0,
): LedgerIteration {
  let samples = 0;
  let errors = 0;
  for (const u of units)
    for (const c of u.candidates) {
      if (c.error === undefined) samples++;
      else errors++;
    }
  const signals: Record<string, LedgerSignal> = {};
  for (const name of signalNames) {
    let bits = 0;
    const zero: string[] = [];
    let measured = 0;
    for (const u of units) {
      if (!u.candidates.some((c) => c.error === undefined)) continue;
      measured++;
      const h = promptSignalEntropy(u, name, unit);
      bits += h;
      if (h === 0) zero.push(u.prompt_id);
    }
    signals[name] = {
      bits,
      bits_per_sample: measured > 0 ? bits / measured : 0,
      zero_info_prompts: zero.length,
      zero_info_prompt_ids: zero,
    };
  }
  return {
    iteration,
    prompts: units.length,
    samples,
    errors,
    accepted,
    accept_rate: samples > 0 ? accepted / samples : null,
    real_samples: realSamples,
    signals,
  };
}

/** Sums the iterations into the ledger's totals. */
export function ledgerTotals(iterations: LedgerIteration[], signalNames: string[]): Ledger["totals"] {
  const sum = (f: (it: LedgerIteration) => number) => iterations.reduce((a, it) => a + f(it), 0);
  const samples = sum((it) => it.samples);
  const accepted = sum((it) => it.accepted);
  return {
    prompts: sum((it) => it.prompts),
    samples,
    errors: sum((it) => it.errors),
    accepted,
    accept_rate: samples > 0 ? accepted / samples : null,
    real_samples: sum((it) => it.real_samples),
    bits: Object.fromEntries(signalNames.map((name) => [name, sum((it) => it.signals[name]?.bits ?? 0)])),
  };
}
