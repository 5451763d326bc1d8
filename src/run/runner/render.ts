/**
 * The run's ledger as a terminal table: per iteration, samples, errors, accept rate, the real
 * samples mixed in (a column when there are any), the bits each signal injected (sum over prompts
 * of H(S|Q=q)) with the prompts that injected nothing, and the built-in student's held-out accuracy.
 */
import type { Ledger } from "../ledger.js";

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join("  ")).join("\n");
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? "n/a" : `${(100 * v).toFixed(1)}%`;

/**
 * Renders a ledger (numbers in the ledger's unit).
 * @example renderLedgerText(ledger) // "iteration  samples  errors  accept  correct bits ..."
 */
export function renderLedgerText(ledger: Ledger): string {
  const signals = Object.keys(ledger.totals.bits);
  const student = ledger.held_out_accuracy_initial !== undefined;
  const real = ledger.totals.real_samples > 0;
  const header = ["iteration", "samples", "errors", "accept"];
  if (real) header.push("real");
  for (const s of signals) header.push(`${s} ${ledger.unit}`, `${ledger.unit}/sample`, "zero-info");
  if (student) header.push("held-out acc");
  const rows = [header];
  if (student) {
    const start = ["start", "", "", "", ...(real ? [""] : [])];
    for (const _ of signals) start.push("", "", "");
    start.push(pct(ledger.held_out_accuracy_initial));
    rows.push(start);
  }
  for (const it of ledger.iterations) {
    const row = [String(it.iteration), String(it.samples), String(it.errors), pct(it.accept_rate)];
    if (real) row.push(String(it.real_samples));
    for (const s of signals) {
      const v = it.signals[s];
      row.push(v.bits.toFixed(2), v.bits_per_sample.toFixed(3), `${v.zero_info_prompts}/${it.prompts}`);
    }
    if (student) row.push(pct(it.held_out_accuracy));
    rows.push(row);
  }
  const total = [
    "total",
    String(ledger.totals.samples),
    String(ledger.totals.errors),
    pct(ledger.totals.accept_rate),
  ];
  if (real) total.push(String(ledger.totals.real_samples));
  for (const s of signals) total.push(ledger.totals.bits[s].toFixed(2), "", "");
  if (student) total.push("");
  rows.push(total);
  return `${ledger.spec}: ${ledger.generator}, selection ${ledger.selection}\n${pad(rows)}\n`;
}
