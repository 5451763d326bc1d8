/**
 * The run's progress line: a bar over the iteration's prompts, samples so far, accept rate, bits
 * the signals injected so far and an ETA. Pure formatting; the CLI draws it on stderr, and only
 * when stderr is a terminal.
 */
import type { RunProgress } from "./runner/run.js";

function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "--";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * One progress line, at most `width` characters.
 * @example formatProgress(p, 80) // "iter 1/5 [#####-----] 100/200  samples 1600  accept 41.2%  bits 88.3  ETA 12s"
 */
export function formatProgress(p: RunProgress, width: number, unitName = "bits"): string {
  const fraction = p.unitsTotal > 0 ? p.unitsDone / p.unitsTotal : 1;
  const barWidth = 20;
  const filled = Math.round(fraction * barWidth);
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
  const remainingUnits = (p.iterations - p.iteration - 1) * p.unitsTotal + (p.unitsTotal - p.unitsDone);
  const eta = p.newUnits > 0 ? (p.elapsedMs / p.newUnits) * remainingUnits : Number.NaN;
  const rate = p.samples > 0 ? `${((100 * p.accepted) / p.samples).toFixed(1)}%` : "--";
  const errors = p.errors > 0 ? `  errors ${p.errors}` : "";
  const line =
    `iter ${p.iteration + 1}/${p.iterations} ${bar} ${p.unitsDone}/${p.unitsTotal}  samples ${p.samples}` +
    `  accept ${rate}  ${unitName} ${p.bits.toFixed(1)}${errors}  ETA ${duration(eta)}`;
  return line.length > width ? line.slice(0, Math.max(0, width - 1)) : line;
}
