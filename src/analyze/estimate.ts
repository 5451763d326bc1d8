/**
 * Estimates with bootstrap confidence intervals that resample prompts (the independent unit).
 * Every statistic is a function of sums over units, so estimates of one scope are batched: one
 * `bootstrap` run (src/info) draws the resampled units, and each replicate evaluates every
 * estimate of the batch on the same draw (common random numbers: e.g. task + intra-class bits
 * equals bits per sample in every replicate). Intervals are type-7 percentile intervals.
 */
import { bootstrap, type Rng } from "../info/index.js";
import type { Estimate } from "./document.js";

/** Bootstrap settings shared by every estimate of one analysis. */
export interface CiSettings {
  /** number of bootstrap replicates; 0 = no intervals */
  resamples: number;
  level: number;
  rng: Rng;
}

function total(values: Float64Array): number {
  let t = 0;
  for (let i = 0; i < values.length; i++) t += values[i];
  return t;
}

/** Rounds to 6 significant digits so documents are stable and readable. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(6));
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

interface Item {
  columns: Float64Array[];
  combine: (sums: number[]) => number;
  estimate: Estimate;
}

/** The estimates of one scope (one set of units), bootstrapped together by `run`. */
export class EstimateBatch {
  private readonly items: Item[] = [];
  readonly units: number;

  constructor(units: number) {
    this.units = units;
  }

  /**
   * `combine` applied to the per-unit sums of each column (each of length `units`); the
   * interval is filled in by `run`. A 0/0 replicate counts as 0.
   */
  add(columns: Float64Array[], combine: (sums: number[]) => number, records: number): Estimate {
    const value = combine(columns.map(total));
    const estimate: Estimate = {
      value: Number.isFinite(value) ? round(value) : null,
      n: records,
      prompts: this.units,
    };
    if (estimate.value !== null) this.items.push({ columns, combine, estimate });
    return estimate;
  }

  /** Σ numerator / Σ denominator over units. */
  ratio(num: Float64Array, den: Float64Array, records: number): Estimate {
    return this.add([num, den], ([a, b]) => a / b, records);
  }

  /** Runs the bootstrap and fills every estimate's `ci`. */
  run(settings: CiSettings): void {
    const { items, units } = this;
    if (items.length === 0 || units < 2 || settings.resamples < 2) return;
    // every distinct column is summed once per replicate
    const columnIndex = new Map<Float64Array, number>();
    for (const item of items)
      for (const c of item.columns) if (!columnIndex.has(c)) columnIndex.set(c, columnIndex.size);
    const columns = [...columnIndex.keys()];
    const slots = items.map((item) => item.columns.map((c) => columnIndex.get(c)!));
    // unit-major matrix: one resample reads each drawn unit's row of columns contiguously
    const C = columns.length;
    const matrix = new Float64Array(units * C);
    columns.forEach((column, j) => {
      for (let u = 0; u < units; u++) matrix[u * C + j] = column[u];
    });
    const sums = new Float64Array(C);
    const replicates = items.map(() => new Float64Array(settings.resamples));
    let r = 0;
    const evaluate = (k: number): number => {
      const v = items[k].combine(slots[k].map((j) => sums[j]));
      return Number.isFinite(v) ? v : 0;
    };
    const first = bootstrap(
      (rows) => {
        sums.fill(0);
        for (let i = 0; i < rows.length; i++) {
          const base = rows[i] * C;
          for (let j = 0; j < C; j++) sums[j] += matrix[base + j];
        }
        for (let k = 1; k < items.length; k++) replicates[k][r] = evaluate(k);
        r++;
        return evaluate(0);
      },
      { n: units, resamples: settings.resamples, level: settings.level, rng: settings.rng.fork() },
    );
    items[0].estimate.ci = [round(first.ci[0]), round(first.ci[1])];
    const alpha = (1 - settings.level) / 2;
    for (let k = 1; k < items.length; k++) {
      const sorted = replicates[k].sort();
      items[k].estimate.ci = [round(quantile(sorted, alpha)), round(quantile(sorted, 1 - alpha))];
    }
  }
}

/** Least-squares slope of `y` on `x` (null with fewer than two points or no spread in x). */
export function slope(x: number[], y: (number | null)[]): number | null {
  const pts = x
    .map((xi, i) => [xi, y[i]] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null);
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let sxx = 0;
  let sxy = 0;
  for (const [a, b] of pts) {
    sxx += (a - mx) * (a - mx);
    sxy += (a - mx) * (b - my);
  }
  return sxx === 0 ? null : round(sxy / sxx);
}

/** One batch per scope (keyed by the scope object), run together in creation order. */
export class Batches {
  private readonly batches = new Map<object, EstimateBatch>();

  /** The batch of `key`, created with `units` units on first use. */
  of(key: object, units: number): EstimateBatch {
    let batch = this.batches.get(key);
    if (batch === undefined) {
      batch = new EstimateBatch(units);
      this.batches.set(key, batch);
    }
    return batch;
  }

  /** Bootstraps every batch. */
  run(settings: CiSettings): void {
    for (const batch of this.batches.values()) batch.run(settings);
  }
}
