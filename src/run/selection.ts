/**
 * Selection: how the signals of one prompt's candidates enter the training data. `filter` keeps
 * a candidate when every selection signal passes (or is >= the threshold); `reward` gives each
 * candidate its group-normalised advantage (GRPO: (r - mean) / std over the prompt's candidates,
 * Shao et al. 2024, arXiv 2402.03300) and keeps those with a positive one; `pairs` matches passing
 * with failing candidates of the same prompt as chosen/rejected pairs (DPO, Rafailov et al. 2023);
 * `reference` trains on the prompt's reference answer; `none` keeps every response (pure
 * self-training). Candidates whose generation failed are never selected.
 */
import type { RecordValue } from "../records/index.js";
import type { Selection } from "../spec/index.js";
import type { CandidateEntry } from "./runner/types.js";

/** The selection of one prompt-unit. */
export interface UnitSelection {
  accepted: boolean[];
  /** `reward` only: the group-normalised advantage of each successful candidate (null on error). */
  advantages?: (number | null)[];
  /** `pairs` only: [chosen, rejected] candidate indices. */
  pairs?: [number, number][];
}

function numeric(value: RecordValue | undefined): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.NaN;
}

function passes(candidate: CandidateEntry, names: string[], threshold: number | undefined): boolean {
  if (candidate.error !== undefined) return false;
  return names.every((name) =>
    threshold === undefined ? candidate.pass[name] === true : numeric(candidate.signals[name]) >= threshold,
  );
}

/**
 * Selects among one prompt's candidates. `names` are the selection signals (see `usedSignals`).
 * @example selectUnit({ mode: "filter" }, ["ok"], cands).accepted // [true, false, ...]
 */
export function selectUnit(
  selection: Selection,
  names: string[],
  candidates: CandidateEntry[],
): UnitSelection {
  const ok = candidates.map((c) => c.error === undefined);
  switch (selection.mode) {
    case "filter":
      return { accepted: candidates.map((c) => passes(c, names, selection.threshold)) };
    case "none":
      return { accepted: ok };
    case "reference":
      return { accepted: candidates.map(() => false) };
    case "pairs": {
      const good = candidates.flatMap((c, i) => (passes(c, names, selection.threshold) ? [i] : []));
      const bad = candidates.flatMap((c, i) => (ok[i] && !passes(c, names, selection.threshold) ? [i] : []));
      const pairs = good.slice(0, bad.length).map((g, k): [number, number] => [g, bad[k]]);
      const chosen = new Set(pairs.map(([g]) => g));
      return { accepted: candidates.map((_, i) => chosen.has(i)), pairs };
    }
    case "reward": {
      const rewards = candidates.map((c) =>
        c.error === undefined
          ? names.reduce((sum, name) => sum + numeric(c.signals[name]), 0) / names.length
          : null,
      );
      const valid = rewards.filter((r): r is number => r !== null && Number.isFinite(r));
      const mean = valid.reduce((a, b) => a + b, 0) / Math.max(1, valid.length);
      const std = Math.sqrt(valid.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(1, valid.length));
      const advantages = rewards.map((r) =>
        r === null || !Number.isFinite(r) ? null : std > 1e-12 ? (r - mean) / std : 0,
      );
      return { accepted: advantages.map((a) => a !== null && a > 0), advantages };
    }
  }
}
