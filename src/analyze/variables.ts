/**
 * Signals and features as discrete variables. A first pass over the records learns each
 * variable's type (numbers, including booleans as 1/0, or strings), its distinct values (up to a
 * cap) and, per prompt, the running mean and variance of numeric values (Welford). `discretise`
 * then fixes how a value becomes a level: binary (two values, the larger one is "pass"),
 * categorical (few values), or continuous, cut into 4 within-prompt quantile bins at the normal
 * quartiles of the prompt's z-score (z < -0.674, < 0, < 0.674, >= 0.674; see docs/analyze.md).
 */
import { OpenloopError } from "../errors.js";
import type { RecordValue } from "../records/index.js";
import { Growable } from "./table.js";

/** Distinct values kept before a numeric variable counts as continuous. */
const MAX_SIGNAL_LEVELS = 16;
const MAX_FEATURE_LEVELS = 4;
const QUARTILE_Z = 0.6744897501960817;

/** What the first pass learned about one variable. */
export class VariableScan {
  readonly name: string;
  readonly role: "signal" | "builtin" | "user";
  /** position among all variables of the scan (its column in the spill) */
  readonly id: number;
  kind: "number" | "string" | undefined;
  readonly distinct = new Map<number | string, number>();
  overflow = false;
  count = 0;
  private readonly cap: number;
  private readonly n = new Growable(Float64Array);
  private readonly mean = new Growable(Float64Array);
  private readonly m2 = new Growable(Float64Array);

  constructor(name: string, role: "signal" | "builtin" | "user", id: number) {
    this.name = name;
    this.role = role;
    this.id = id;
    this.cap = role === "signal" ? MAX_SIGNAL_LEVELS : MAX_FEATURE_LEVELS;
  }

  /** Throws an `input` error when the value's type differs from the variable's (fixed by its first value). */
  check(raw: RecordValue): void {
    const kind = typeof raw === "string" ? "string" : "number";
    if (this.kind !== undefined && this.kind !== kind) throw typeError(this, raw);
  }

  /**
   * Records a value (already checked) seen on `prompt` and returns it as a number for the spill:
   * numbers as they are (booleans 1/0), strings as their index among the distinct values (-1
   * beyond the cap).
   */
  observe(raw: RecordValue, prompt: number): number {
    const value = typeof raw === "boolean" ? (raw ? 1 : 0) : raw;
    const kind = typeof value === "number" ? "number" : "string";
    if (this.kind === undefined) this.kind = kind;
    this.count++;
    if (!this.overflow && !this.distinct.has(value)) {
      if (this.distinct.size >= (kind === "string" ? MAX_SIGNAL_LEVELS : this.cap)) this.overflow = true;
      else this.distinct.set(value, this.distinct.size);
    }
    if (typeof value === "number") {
      const n = this.n.ensure(prompt + 1);
      const mean = this.mean.ensure(prompt + 1);
      const m2 = this.m2.ensure(prompt + 1);
      n[prompt]++;
      const delta = value - mean[prompt];
      mean[prompt] += delta / n[prompt];
      m2[prompt] += delta * (value - mean[prompt]);
      return value;
    }
    return this.distinct.get(value) ?? -1;
  }

  /**
   * `observe` of each number `column[from + r]` on prompt `prompts[r]`, for r in 0..n, skipping
   * NaN (missing): the same distinct values in the same order and the same Welford steps, in one
   * tight loop (the distinct values are matched by a scan of at most `cap` numbers, not a Map; a
   * prompt's moments are kept in locals over a run of its rows).
   */
  observeNumbers(column: Float64Array, from: number, n: number, prompts: Int32Array): void {
    let top = -1;
    for (let r = 0; r < n; r++) if (prompts[r] > top) top = prompts[r];
    const count = this.n.ensure(top + 1);
    const mean = this.mean.ensure(top + 1);
    const m2 = this.m2.ensure(top + 1);
    const cap = this.cap;
    const levels = new Float64Array(Math.max(cap, this.distinct.size));
    let size = 0;
    for (const level of this.distinct.keys()) levels[size++] = level as number;
    if (this.overflow) size = -1;
    let seen = 0;
    // the moments of prompt `p` stay in locals while its rows follow each other (no memory round trip per row)
    let p = -1;
    let c = 0;
    let mu = 0;
    let sq = 0;
    for (let r = 0; r < n; r++) {
      const value = column[from + r];
      if (Number.isNaN(value)) continue;
      seen++;
      if (size >= 0) {
        let k = 0;
        while (k < size && levels[k] !== value) k++;
        if (k === size) {
          if (size >= cap) {
            this.overflow = true;
            size = -1;
          } else {
            levels[size] = value;
            this.distinct.set(value, size++);
          }
        }
      }
      if (prompts[r] !== p) {
        if (p >= 0) {
          count[p] = c;
          mean[p] = mu;
          m2[p] = sq;
        }
        p = prompts[r];
        c = count[p];
        mu = mean[p];
        sq = m2[p];
      }
      c++;
      const delta = value - mu;
      mu += delta / c;
      sq += delta * (value - mu);
    }
    if (p >= 0) {
      count[p] = c;
      mean[p] = mu;
      m2[p] = sq;
    }
    if (seen > 0 && this.kind === undefined) this.kind = "number";
    this.count += seen;
  }

  /** Mean and standard deviation of the variable's values on `prompt`. */
  promptMoments(prompt: number): { mean: number; sd: number } {
    const n = prompt < this.n.data.length ? this.n.data[prompt] : 0;
    if (n === 0) return { mean: 0, sd: 0 };
    return { mean: this.mean.data[prompt], sd: Math.sqrt(this.m2.data[prompt] / n) };
  }
}

function typeError(scan: VariableScan, raw: RecordValue): OpenloopError {
  const what = scan.role === "signal" ? "signal" : "feature";
  const expected = scan.kind === "number" ? "a number or boolean" : "a string";
  return new OpenloopError(
    "input",
    `${what} '${scan.name}' must be ${expected} (as in earlier rows), got ${JSON.stringify(raw)}`,
    { where: { column: `${scan.role === "signal" ? "signals" : "features"}.${scan.name}` } },
  );
}

/** How a variable's values become levels 0..levels-1. */
export interface Discretiser {
  name: string;
  /** the variable's spill column */
  id: number;
  role: "signal" | "builtin" | "user";
  kind: "binary" | "categorical" | "continuous";
  /** human description of the discretisation */
  method: string;
  levels: number;
  /** level labels (for binary: ["fail", "pass"]) */
  labels: string[];
  /** the level of `value` on `prompt`; throws an `input` error on a type mismatch */
  code(value: RecordValue, prompt: number): number;
  /** the level of a spilled value (see `VariableScan.observe`) on `prompt` */
  fromSpill(value: number, prompt: number): number;
}

/** Fixes the discretisation of a scanned variable. */
export function discretise(scan: VariableScan): Discretiser {
  const base = { name: scan.name, role: scan.role, id: scan.id };
  const values = [...scan.distinct.keys()];
  if (scan.kind === "string") {
    const index = new Map(values.map((v, i) => [v, i]));
    const other = values.length;
    return {
      ...base,
      kind: "categorical",
      method: scan.overflow ? `categorical (first ${other} values, the rest as 'other')` : "categorical",
      levels: scan.overflow ? other + 1 : other,
      labels: scan.overflow ? [...values.map(String), "other"] : values.map(String),
      code(value) {
        if (typeof value !== "string") throw typeError(scan, value);
        return index.get(value) ?? other;
      },
      fromSpill: (value) => (value < 0 ? other : value),
    };
  }
  if (!scan.overflow) {
    const sorted = (values as number[]).sort((a, b) => a - b);
    if (scan.role !== "signal" && sorted.length <= 1) {
      // a constant feature carries no information about anything: one level, no table
      return {
        ...base,
        kind: "categorical",
        method: "constant",
        levels: 1,
        labels: sorted.map(String),
        code: () => 0,
        fromSpill: () => 0,
      };
    }
    const isBinary = sorted.length === 2 || (sorted.length === 1 && (sorted[0] === 0 || sorted[0] === 1));
    if (isBinary) {
      const pass = sorted.length === 2 ? sorted[1] : 1;
      return {
        ...base,
        kind: "binary",
        method: "binary",
        levels: 2,
        labels: ["fail", "pass"],
        code(value) {
          if (typeof value === "string") throw typeError(scan, value);
          return (typeof value === "boolean" ? (value ? 1 : 0) : value) === pass ? 1 : 0;
        },
        fromSpill: (value) => (value === pass ? 1 : 0),
      };
    }
    const index = new Map(sorted.map((v, i) => [v, i]));
    return {
      ...base,
      kind: "categorical",
      method: "categorical",
      levels: sorted.length,
      labels: sorted.map(String),
      code(value) {
        if (typeof value === "string") throw typeError(scan, value);
        return index.get(typeof value === "boolean" ? (value ? 1 : 0) : value) ?? 0;
      },
      fromSpill: (value) => index.get(value) ?? 0,
    };
  }
  const quartile = (x: number, prompt: number): number => {
    const { mean, sd } = scan.promptMoments(prompt);
    if (sd === 0) return 0;
    const z = (x - mean) / sd;
    return z < -QUARTILE_Z ? 0 : z < 0 ? 1 : z < QUARTILE_Z ? 2 : 3;
  };
  return {
    ...base,
    kind: "continuous",
    method: "within-prompt-quantile-4",
    levels: 4,
    labels: ["q1", "q2", "q3", "q4"],
    code(value, prompt) {
      if (typeof value === "string") throw typeError(scan, value);
      return quartile(typeof value === "boolean" ? (value ? 1 : 0) : value, prompt);
    },
    fromSpill: quartile,
  };
}
