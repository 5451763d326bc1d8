/**
 * Estimates with bootstrap confidence intervals that resample prompts (the independent unit).
 * Every statistic is a function of sums over units, so estimates of one scope are batched: each
 * bootstrap replicate draws the resampled units once and evaluates every estimate of the batch on
 * the same draw (common random numbers: e.g. task + intra-class bits equals bits per sample in
 * every replicate). Intervals are type-7 percentile intervals of the replicates.
 */
import { OpenloopError } from "../errors.js";
import type { Rng } from "../info/index.js";
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
  /** each item's columns as indices into a replicate's sums (set by `prepare`) */
  private slots: Int32Array[] = [];
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

  /**
   * Runs the bootstrap and fills every estimate's `ci`: `prepare`, `bootstrapSums` with one fork
   * of `settings.rng`, `finish`.
   */
  run(settings: CiSettings): void {
    const job = this.prepare(settings.resamples, settings.level);
    if (job === null) return;
    bootstrapSums(job, settings.rng.fork());
    this.finish(job, settings.level);
  }

  /**
   * The bootstrap work of this batch (null when there is none: no estimate with a value, fewer
   * than two units or resamples); `allocate` makes its arrays (shared memory for a worker thread).
   */
  prepare(resamples: number, level: number, allocate: Allocate = plainArray): BootstrapJob | null {
    const { items, units } = this;
    if (items.length === 0 || units < 2 || resamples < 2) return null;
    if (!Number.isInteger(resamples))
      throw new OpenloopError("usage", `bootstrap needs an integer number of resamples, got ${resamples}`);
    if (!(level > 0 && level < 1))
      throw new OpenloopError("usage", `confidence level must be in (0, 1), got ${level}`);
    const plan = planColumns(items, units, allocate);
    const width = plan.zero + 1; // sums[plan.zero] stays 0: the all-zero columns
    this.slots = plan.slots;
    return {
      resamples,
      units,
      groups: plan.groups,
      packed: plan.packed,
      tail: plan.tail,
      width,
      sums: allocate(resamples * width),
    };
  }

  /** Fills every estimate's `ci` from the replicate sums of `job` (this batch's, after `bootstrapSums`). */
  finish(job: BootstrapJob, level: number): void {
    const { items, slots } = this;
    const { resamples: R, width, sums } = job;
    const args = items.map((item) => new Array<number>(item.columns.length).fill(0));
    const replicates = items.map(() => new Float64Array(R));
    for (let r = 0; r < R; r++) {
      const base = r * width;
      for (let k = 0; k < items.length; k++) {
        const slot = slots[k];
        const a = args[k];
        for (let m = 0; m < slot.length; m++) a[m] = sums[base + slot[m]];
        const v = items[k].combine(a);
        replicates[k][r] = Number.isFinite(v) ? v : 0;
      }
    }
    const alpha = (1 - level) / 2;
    for (let k = 0; k < items.length; k++) {
      const sorted = replicates[k].sort();
      items[k].estimate.ci = [round(quantile(sorted, alpha)), round(quantile(sorted, 1 - alpha))];
    }
  }
}

/** Makes a Float64Array of a length (in plain or shared memory). */
export type Allocate = (length: number) => Float64Array;

const plainArray: Allocate = (length) => new Float64Array(length);

/**
 * The bootstrap work of one batch, without its combine functions: typed arrays and numbers, so
 * it can be posted to a worker thread (with `allocate` making shared memory, the sums written
 * there are seen by the main thread).
 */
export interface BootstrapJob {
  resamples: number;
  units: number;
  /** the batch's distinct non-zero columns, packed (see ColumnPlan) */
  groups: number;
  packed: Float64Array;
  tail: Float64Array | null;
  /** sums per replicate: the planned columns and a 0 for the all-zero ones */
  width: number;
  /** sums[r * width + j] = replicate r's sum of planned column j */
  sums: Float64Array;
}

/**
 * Fills `job.sums`: each replicate draws `units` units with replacement (`rng.int(units)`,
 * `units` times), kept as a count per unit; every column's replicate sum is then
 * Σ count[u] * column[u], accumulated unit by unit over the drawn units. Columns with equal
 * content were planned once and all-zero columns not at all.
 */
export function bootstrapSums(job: BootstrapJob, rng: Rng): void {
  const { units, width } = job;
  const sums = new Float64Array(width);
  const draw: Draw = {
    counts: new Int32Array(units),
    drawn: new Int32Array(units),
    offsets: new Int32Array(units),
    weights: new Float64Array(units),
    size: 0,
  };
  for (let r = 0; r < job.resamples; r++) {
    drawUnits(draw, rng);
    weightedSums(job, draw, sums);
    job.sums.set(sums, r * width);
  }
}

/**
 * Columns are summed GROUP at a time, in GROUP accumulators, one pass over the drawn units per
 * group; up to TAIL left-over columns go in one narrower group.
 */
const GROUP = 8;
const TAIL = 4;

/** One resample of units: the drawn units in ascending order and how many times each was drawn. */
interface Draw {
  /** counts[u] = times unit u was drawn */
  counts: Int32Array;
  /** scratch: the drawn units in draw order */
  drawn: Int32Array;
  /** offsets[i] = u * GROUP for the i-th drawn unit u (ascending), weights[i] = counts[u] */
  offsets: Int32Array;
  weights: Float64Array;
  /** number of distinct drawn units */
  size: number;
}

/** Draws `units` units, the values of `units` successive `rng.int(units)` calls, into `draw`. */
function drawUnits(draw: Draw, rng: Rng): void {
  const { counts, drawn, offsets, weights } = draw;
  const units = counts.length;
  counts.fill(0);
  rng.ints(units, drawn);
  for (let i = 0; i < units; i++) counts[drawn[i]]++;
  let n = 0;
  for (let u = 0; u < units; u++) {
    const w = counts[u];
    offsets[n] = u * GROUP;
    weights[n] = w;
    n += (w + 0x7fffffff) >>> 31; // 1 when w > 0, without a branch
  }
  draw.size = n;
}

/** sums[j] = Σ over the drawn units u (ascending) of counts[u] * (column j at u), for every planned column. */
function weightedSums(job: BootstrapJob, draw: Draw, sums: Float64Array): void {
  const { packed, groups, tail } = job;
  const { offsets, weights, size } = draw;
  const stride = draw.counts.length * GROUP;
  for (let g = 0; g < groups; g++) {
    const offset = g * stride;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let i = 0; i < size; i++) {
      const o = offset + offsets[i];
      const w = weights[i];
      s0 += w * packed[o];
      s1 += w * packed[o + 1];
      s2 += w * packed[o + 2];
      s3 += w * packed[o + 3];
      s4 += w * packed[o + 4];
      s5 += w * packed[o + 5];
      s6 += w * packed[o + 6];
      s7 += w * packed[o + 7];
    }
    const j = g * GROUP;
    sums[j] = s0;
    sums[j + 1] = s1;
    sums[j + 2] = s2;
    sums[j + 3] = s3;
    sums[j + 4] = s4;
    sums[j + 5] = s5;
    sums[j + 6] = s6;
    sums[j + 7] = s7;
  }
  if (tail === null) return;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < size; i++) {
    const o = offsets[i] >> 1; // u * TAIL
    const w = weights[i];
    s0 += w * tail[o];
    s1 += w * tail[o + 1];
    s2 += w * tail[o + 2];
    s3 += w * tail[o + 3];
  }
  const j = groups * GROUP;
  sums[j] = s0;
  sums[j + 1] = s1;
  sums[j + 2] = s2;
  sums[j + 3] = s3;
}

/**
 * The distinct non-zero columns of a batch, packed by groups of GROUP (zero-padded):
 * packed[g * units * GROUP + u * GROUP + q] is column g * GROUP + q at unit u, and the last
 * one to TAIL columns, when they do not fill a group, in tail[u * TAIL + q]; and each item's
 * columns as indices into the replicate sums (the all-zero columns share index `zero`).
 */
interface ColumnPlan {
  groups: number;
  packed: Float64Array;
  tail: Float64Array | null;
  zero: number;
  slots: Int32Array[];
}

function planColumns(items: Item[], units: number, allocate: Allocate): ColumnPlan {
  const slotOf = new Map<Float64Array, number>();
  const distinct: Float64Array[] = [];
  const byHash = new Map<number, number[]>();
  const ZERO = -1;
  for (const item of items) {
    for (const column of item.columns) {
      if (slotOf.has(column)) continue;
      const hash = contentHash(column);
      if (hash === null) {
        slotOf.set(column, ZERO);
        continue;
      }
      const candidates = byHash.get(hash) ?? [];
      let slot = candidates.find((j) => sameContent(distinct[j], column));
      if (slot === undefined) {
        slot = distinct.length;
        distinct.push(column);
        candidates.push(slot);
        byHash.set(hash, candidates);
      }
      slotOf.set(column, slot);
    }
  }
  const left = distinct.length % GROUP;
  const groups = Math.floor(distinct.length / GROUP) + (left > TAIL ? 1 : 0);
  const packed = allocate(groups * units * GROUP);
  const tail = left > 0 && left <= TAIL ? allocate(units * TAIL) : null;
  distinct.forEach((column, j) => {
    const g = Math.floor(j / GROUP);
    const [target, width, offset] =
      g < groups ? [packed, GROUP, g * units * GROUP + (j % GROUP)] : [tail!, TAIL, j % GROUP];
    for (let u = 0; u < units; u++) target[offset + u * width] = column[u];
  });
  const zero = groups * GROUP + (tail === null ? 0 : TAIL);
  const slots = items.map((item) =>
    Int32Array.from(item.columns, (c) => {
      const slot = slotOf.get(c)!;
      return slot === ZERO ? zero : slot;
    }),
  );
  return { groups, packed, tail, zero, slots };
}

/** A 32-bit hash of a column's values (FNV-1a over their bit patterns), or null when all are 0. */
function contentHash(column: Float64Array): number | null {
  const words = new Uint32Array(column.buffer, column.byteOffset, column.length * 2);
  let h = 0x811c9dc5;
  let zero = true;
  for (let i = 0; i < column.length; i++) {
    if (column[i] !== 0) zero = false;
    h = Math.imul(h ^ words[2 * i], 0x01000193);
    h = Math.imul(h ^ words[2 * i + 1], 0x01000193);
  }
  return zero ? null : h >>> 0;
}

function sameContent(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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

  /** Bootstraps every batch (the k-th batch with work uses the k-th fork of `settings.rng`). */
  run(settings: CiSettings): void {
    for (const batch of this.batches.values()) batch.run(settings);
  }

  /**
   * The batches with bootstrap work and their jobs, in creation order: running the k-th job with
   * the k-th fork of an rng and finishing it gives what `run` gives with that rng.
   */
  prepare(
    resamples: number,
    level: number,
    allocate?: Allocate,
  ): { batch: EstimateBatch; job: BootstrapJob }[] {
    const out: { batch: EstimateBatch; job: BootstrapJob }[] = [];
    for (const batch of this.batches.values()) {
      const job = batch.prepare(resamples, level, allocate);
      if (job !== null) out.push({ batch, job });
    }
    return out;
  }
}
