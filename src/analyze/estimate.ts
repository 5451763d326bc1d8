/**
 * Estimates with bootstrap confidence intervals that resample prompts (the independent unit).
 * Every statistic is a function of sums over the units of one scope, and every unit belongs to
 * one prompt: the overall scope's units are the prompts, an iteration's are its cells (one
 * prompt each), a MinHash sample's its sampled prompts. Each bootstrap replicate draws the P
 * prompts of the analysis once, with replacement, and weighs every unit of every batch by the
 * number of times its prompt was drawn (a cluster bootstrap over prompts shared by all scopes):
 * every estimate sees the same resample (task + intra-class bits equal bits per sample in every
 * replicate; per-iteration values keep their correlation across iterations). A replicate that
 * draws none of a scope's prompts leaves that scope's estimates undefined and is left out of
 * their intervals, as is a replicate where one estimate is undefined (0/0, x/0: e.g. a false
 * positive rate on a resample without a negative record) from that estimate's interval.
 * Intervals are type-7 percentile intervals of the replicates that define the estimate, given
 * when at least half of the replicates do (an estimate undefined on most resamples has none).
 */
import { OpenloopError } from "../errors.js";
import { type Rng, sortedQuantile } from "../info/index.js";
import type { Estimate } from "./document.js";

/** Bootstrap settings shared by every estimate of one analysis. */
export interface CiSettings {
  /** number of bootstrap replicates; 0 = no intervals */
  resamples: number;
  level: number;
  rng: Rng;
}

/** The units of a scope: `units` of them, unit u of prompt `unitPrompt[u]` (of prompt u when null). */
export interface BatchUnits {
  readonly units: number;
  readonly unitPrompt: Int32Array | null;
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

interface Item {
  /** per-unit columns; emptied once planned (the bootstrap reads the packed copy) */
  columns: Float64Array[];
  combine: (sums: number[]) => number;
  estimate: Estimate;
  /** the columns as indices into a replicate's sums and factors (set by `planColumns`) */
  slots: Int32Array;
  scales: Float64Array;
}

/** The estimates of one scope (one set of units), bootstrapped by `Batches.run`. */
export class EstimateBatch {
  /** the estimates with a value */
  readonly items: Item[] = [];
  readonly units: number;
  readonly unitPrompt: Int32Array | null;

  constructor(scope: BatchUnits) {
    this.units = scope.units;
    this.unitPrompt = scope.unitPrompt;
  }

  /**
   * `combine` applied to the per-unit sums of each column (each of length `units`); the
   * interval is filled in by `Batches.run`. A replicate where `combine` is not finite is left
   * out of the interval.
   */
  add(columns: Float64Array[], combine: (sums: number[]) => number, records: number): Estimate {
    const value = combine(columns.map(total));
    const estimate: Estimate = {
      value: Number.isFinite(value) ? round(value) : null,
      n: records,
      prompts: this.units,
    };
    if (estimate.value !== null) {
      this.items.push({ columns, combine, estimate, slots: new Int32Array(0), scales: new Float64Array(0) });
    }
    return estimate;
  }

  /** Σ numerator / Σ denominator over units. */
  ratio(num: Float64Array, den: Float64Array, records: number): Estimate {
    return this.add([num, den], ([a, b]) => a / b, records);
  }
}

/**
 * The bootstrap work of `items` (of the batches with these units), for `resamples` replicates;
 * `allocate` makes its arrays. The items' columns are released: the packed copy replaces them.
 */
function planJob(
  items: Item[],
  units: number,
  unitPrompt: Int32Array | null,
  resamples: number,
  allocate: Allocate,
): BootstrapJob {
  const plan = planColumns(items, units, allocate);
  for (const item of items) item.columns = [];
  // the last slot is the total weight of the units: how many times they were drawn
  const width = plan.total + 1;
  return {
    units,
    unitPrompt,
    groups: plan.groups,
    packed: plan.packed,
    tail: plan.tail,
    width,
    sums: allocate(resamples * width),
  };
}

/**
 * Fills every item's `ci` from the replicate sums of `job` (theirs, once every block has run):
 * the percentile interval of the replicates where the item is finite, leaving out those that
 * drew none of the units (total weight 0) and those where it is undefined (0/0, x/0); no
 * interval when fewer than half of the replicates define it.
 */
function finishItems(items: Item[], job: BootstrapJob, level: number): void {
  const { width, sums } = job;
  const R = sums.length / width;
  const args = items.map((item) => new Array<number>(item.slots.length).fill(0));
  const replicates = items.map(() => new Float64Array(R));
  const defined = new Int32Array(items.length);
  for (let r = 0; r < R; r++) {
    const base = r * width;
    if (sums[base + width - 1] === 0) continue;
    for (let k = 0; k < items.length; k++) {
      const { slots, scales } = items[k];
      const a = args[k];
      for (let m = 0; m < slots.length; m++) a[m] = sums[base + slots[m]] * scales[m];
      const v = items[k].combine(a);
      if (Number.isFinite(v)) replicates[k][defined[k]++] = v;
    }
  }
  const alpha = (1 - level) / 2;
  for (let k = 0; k < items.length; k++) {
    if (defined[k] === 0 || 2 * defined[k] < R) continue;
    const sorted = replicates[k].subarray(0, defined[k]).sort();
    items[k].estimate.ci = [round(sortedQuantile(sorted, alpha)), round(sortedQuantile(sorted, 1 - alpha))];
  }
}

/** Makes a Float64Array of a length (in plain or shared memory). */
export type Allocate = (length: number) => Float64Array;

const plainArray: Allocate = (length) => new Float64Array(length);

/**
 * The bootstrap work of the batches with one set of units, without their combine functions:
 * typed arrays and numbers, so it can be posted to a worker thread (with `allocate` making
 * shared memory, the sums written there are seen by the main thread).
 */
export interface BootstrapJob {
  units: number;
  /** the prompt of each unit (null: unit u is prompt u) */
  unitPrompt: Int32Array | null;
  /** the batches' distinct non-constant columns, packed (see ColumnPlan) */
  groups: number;
  packed: Float64Array;
  tail: Float64Array | null;
  /** sums per replicate: the planned columns, then the total weight of the units (0: none drawn) */
  width: number;
  /** sums[r * width + j] = replicate r's sum of planned column j */
  sums: Float64Array;
}

/**
 * The bootstrap of every batch with work, one job per set of units: `resamples` replicates,
 * each a draw of `prompts` prompts.
 */
export interface BootstrapPlan {
  prompts: number;
  resamples: number;
  jobs: BootstrapJob[];
}

/** Replicates per block: block k is replicates k * BLOCK .. (k + 1) * BLOCK - 1 (the last one shorter). */
export const BLOCK = 8;

/** The number of blocks of a plan. */
export function blockCount(plan: BootstrapPlan): number {
  return Math.ceil(plan.resamples / BLOCK);
}

/**
 * Columns are summed GROUP at a time, in GROUP accumulators, one pass over the drawn units per
 * group; up to TAIL left-over columns go in one narrower group.
 */
const GROUP = 8;
const TAIL = 4;
/**
 * Fills the replicate sums of a plan block by block (one Resampler per thread: it holds the
 * scratch arrays). Each replicate draws `prompts` prompt indices with replacement, kept as a
 * count per prompt (`rng.countIndices`); a unit's weight is its prompt's count, every planned
 * column's replicate sum is Σ weight[u] * column[u] over the units with a non-zero weight, in
 * ascending order, and the total weight Σ weight[u] comes last.
 */
export class Resampler {
  /** counts[p] = times prompt p was drawn in the current replicate */
  private readonly counts: Int32Array;
  /** offsets[i] = u * GROUP for the i-th unit u with a non-zero weight (ascending), weights[i] = its weight */
  private readonly offsets: Int32Array;
  private readonly weights: Int32Array;
  /** the total weight of the units last weighed */
  private total = 0;

  constructor(private readonly plan: BootstrapPlan) {
    const widest = plan.jobs.reduce((w, job) => Math.max(w, job.units), 0);
    this.counts = new Int32Array(plan.prompts);
    this.offsets = new Int32Array(widest);
    this.weights = new Int32Array(widest);
  }

  /** Fills block `k`'s replicates of every job, drawing with `rng` (replicate by replicate). */
  block(k: number, rng: Rng): void {
    const { counts, offsets, weights, plan } = this;
    const end = Math.min(plan.resamples, (k + 1) * BLOCK);
    for (let r = k * BLOCK; r < end; r++) {
      counts.fill(0);
      rng.countIndices(plan.prompts, plan.prompts, counts);
      for (const job of plan.jobs) {
        const size = this.weigh(job);
        const row = r * job.width;
        job.sums.fill(0, row, row + job.width - 1);
        weightedSums(job, offsets, weights, size, row);
        job.sums[row + job.width - 1] = this.total;
      }
    }
  }

  /** Sets offsets and weights to the units of `job` with a non-zero weight (returns how many) and `total`. */
  private weigh(job: BootstrapJob): number {
    const { counts, offsets, weights } = this;
    const { units, unitPrompt } = job;
    let n = 0;
    let total = 0;
    for (let u = 0; u < units; u++) {
      const w = counts[unitPrompt === null ? u : unitPrompt[u]];
      offsets[n] = u * GROUP;
      weights[n] = w;
      total += w;
      n += -w >>> 31; // 1 when w > 0, without a branch
    }
    this.total = total;
    return n;
  }
}

/**
 * Adds to sums[row + j], for every planned column j of `job`, Σ weights[i] * (column j at unit
 * offsets[i] / GROUP) over the first `size` entries.
 */
function weightedSums(
  job: BootstrapJob,
  offsets: Int32Array,
  weights: Int32Array,
  size: number,
  row: number,
): void {
  const { packed, groups, tail, sums } = job;
  const stride = job.units * GROUP;
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
    const j = row + g * GROUP;
    sums[j] += s0;
    sums[j + 1] += s1;
    sums[j + 2] += s2;
    sums[j + 3] += s3;
    sums[j + 4] += s4;
    sums[j + 5] += s5;
    sums[j + 6] += s6;
    sums[j + 7] += s7;
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
  const j = row + groups * GROUP;
  sums[j] += s0;
  sums[j + 1] += s1;
  sums[j + 2] += s2;
  sums[j + 3] += s3;
}

/**
 * The distinct non-constant columns of some items, packed by groups of GROUP (zero-padded):
 * packed[g * units * GROUP + u * GROUP + q] is column g * GROUP + q at unit u, and the last
 * one to TAIL columns, when they do not fill a group, in tail[u * TAIL + q]. Each item's
 * `slots` and `scales` are set: a planned column is its slot times 1, a column of one value c
 * (0 included) the total weight (slot `total`) times c.
 */
interface ColumnPlan {
  groups: number;
  packed: Float64Array;
  tail: Float64Array | null;
  total: number;
}

function planColumns(items: Item[], units: number, allocate: Allocate): ColumnPlan {
  const TOTAL = -1;
  const placed = new Map<Float64Array, { slot: number; scale: number }>();
  const distinct: Float64Array[] = [];
  const byHash = new Map<number, number[]>();
  for (const item of items) {
    for (const column of item.columns) {
      if (placed.has(column)) continue;
      if (isConstant(column)) {
        placed.set(column, { slot: TOTAL, scale: column[0] });
        continue;
      }
      const hash = contentHash(column);
      const candidates = byHash.get(hash) ?? [];
      let slot = candidates.find((j) => sameContent(distinct[j], column));
      if (slot === undefined) {
        slot = distinct.length;
        distinct.push(column);
        candidates.push(slot);
        byHash.set(hash, candidates);
      }
      placed.set(column, { slot, scale: 1 });
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
  const total = groups * GROUP + (tail === null ? 0 : TAIL);
  for (const item of items) {
    item.slots = Int32Array.from(item.columns, (c) => {
      const { slot } = placed.get(c)!;
      return slot === TOTAL ? total : slot;
    });
    item.scales = Float64Array.from(item.columns, (c) => placed.get(c)!.scale);
  }
  return { groups, packed, tail, total };
}

function isConstant(column: Float64Array): boolean {
  const first = column[0];
  for (let i = 1; i < column.length; i++) if (column[i] !== first) return false;
  return true;
}

/**
 * A 32-bit hash of a column (FNV-1a over the bit patterns of up to 64 values spread over it):
 * equal columns hash alike; columns that differ only elsewhere are told apart by `sameContent`.
 */
function contentHash(column: Float64Array): number {
  const words = new Uint32Array(column.buffer, column.byteOffset, column.length * 2);
  const step = Math.max(1, Math.floor(column.length / 64));
  let h = 0x811c9dc5;
  for (let i = 0; i < column.length; i += step) {
    h = Math.imul(h ^ words[2 * i], 0x01000193);
    h = Math.imul(h ^ words[2 * i + 1], 0x01000193);
  }
  return h >>> 0;
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

/**
 * One array object per distinct unit-to-prompt map, null for the identity over all prompts
 * (e.g. an iteration with every prompt, its cells in prompt order), so that the batches with
 * the same units are planned as one job.
 */
class UnitMaps {
  private readonly seen: Int32Array[] = [];

  constructor(private readonly prompts: number) {}

  canonical(map: Int32Array | null, units: number): Int32Array | null {
    if (map === null) return map;
    if (units === this.prompts && map.every((p, u) => p === u)) return null;
    const same = this.seen.find(
      (other) => other.length === map.length && other.every((p, u) => p === map[u]),
    );
    if (same !== undefined) return same;
    this.seen.push(map);
    return map;
  }
}

/** One batch per scope (keyed by the scope object), bootstrapped together. */
export class Batches {
  private readonly batches = new Map<BatchUnits, EstimateBatch>();
  /** the items of each job of the last plan */
  private planned: Item[][] = [];

  /** `prompts`: the number of prompts P of the analysis (each replicate draws P of them). */
  constructor(readonly prompts: number) {}

  /** The batch of `scope`, created on first use. */
  of(scope: BatchUnits): EstimateBatch {
    let batch = this.batches.get(scope);
    if (batch === undefined) {
      batch = new EstimateBatch(scope);
      this.batches.set(scope, batch);
    }
    return batch;
  }

  /**
   * Bootstraps every batch: block k of the plan (see `plan`) runs with the k-th fork of
   * `settings.rng`, then every estimate gets its interval.
   */
  run(settings: CiSettings): void {
    const plan = this.plan(settings.resamples, settings.level);
    if (plan === null) return;
    const resampler = new Resampler(plan);
    for (let k = 0; k < blockCount(plan); k++) resampler.block(k, settings.rng.fork());
    this.finish(plan, settings.level);
  }

  /**
   * The bootstrap work of every batch with work (an estimate with a value, two units or more):
   * one job per set of units (the same unit-to-prompt map), in the order of their first
   * batches (null when there is none, or fewer than two resamples); `allocate` makes the
   * arrays. Running every block k with the k-th fork of an rng (`Resampler.block`) and then
   * `finish` gives what `run` gives with that rng.
   */
  plan(resamples: number, level: number, allocate: Allocate = plainArray): BootstrapPlan | null {
    if (resamples < 2) return null;
    if (!Number.isInteger(resamples))
      throw new OpenloopError("usage", `bootstrap needs an integer number of resamples, got ${resamples}`);
    if (!(level > 0 && level < 1))
      throw new OpenloopError("usage", `confidence level must be in (0, 1), got ${level}`);
    const maps = new UnitMaps(this.prompts);
    const byUnits = new Map<
      Int32Array | number,
      { units: number; unitPrompt: Int32Array | null; items: Item[] }
    >();
    for (const batch of this.batches.values()) {
      if (batch.items.length === 0 || batch.units < 2) continue;
      const unitPrompt = maps.canonical(batch.unitPrompt, batch.units);
      const key = unitPrompt ?? batch.units;
      const same = byUnits.get(key);
      if (same === undefined) byUnits.set(key, { units: batch.units, unitPrompt, items: [...batch.items] });
      else same.items.push(...batch.items);
    }
    this.planned = [...byUnits.values()].map((group) => group.items);
    const jobs = [...byUnits.values()].map((group) =>
      planJob(group.items, group.units, group.unitPrompt, resamples, allocate),
    );
    return jobs.length === 0 ? null : { prompts: this.prompts, resamples, jobs };
  }

  /** Fills every interval from the sums of `plan` (the last plan made, every block run). */
  finish(plan: BootstrapPlan, level: number): void {
    plan.jobs.forEach((job, k) => {
      finishItems(this.planned[k], job, level);
    });
  }
}
