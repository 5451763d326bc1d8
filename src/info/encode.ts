/**
 * Dense integer codes for discrete data: values to codes, several code columns to one joint
 * code, and counting. Memory stays proportional to the number of distinct values: small joint
 * alphabets are combined arithmetically, large ones through a growing hash table of pairs.
 */
import { OpenloopError } from "../errors.js";

/**
 * Joint alphabets up to this many cells are combined arithmetically (code = a * cb + b) and
 * counted in a dense table; larger ones are re-coded densely through a hash table.
 */
const DENSE_MIN = 1 << 16;
const DENSE_MAX = 1 << 22;

/** The largest product of cardinalities that is counted in a dense table for `n` rows. */
export function denseLimit(n: number): number {
  return Math.min(DENSE_MAX, Math.max(DENSE_MIN, 2 * n));
}

/**
 * Encodes values as codes 0..levels.length-1 in order of first appearance. Values are compared
 * with SameValueZero (so 1 and "1" differ, NaN equals NaN).
 * @example encodeValues(["a", "b", "a"]) // { codes: Int32Array [0, 1, 0], levels: ["a", "b"] }
 */
export function encodeValues(values: ArrayLike<unknown>): { codes: Int32Array; levels: unknown[] } {
  const index = new Map<unknown, number>();
  const levels: unknown[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let code = index.get(v);
    if (code === undefined) {
      code = levels.length;
      index.set(v, code);
      levels.push(v);
    }
    codes[i] = code;
  }
  return { codes, levels };
}

/**
 * The cardinality of a code column: its largest code plus one (0 for an empty column).
 * Throws on a negative code.
 */
export function codeCardinality(codes: Int32Array): number {
  let max = -1;
  let min = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c > max) max = c;
    if (c < min) min = c;
  }
  if (min < 0) {
    throw new OpenloopError("input", `codes must be non-negative integers, found ${min}`, {
      hint: "encode raw values with encodeValues first",
    });
  }
  return max + 1;
}

function mix(a: number, b: number, c: number): number {
  let h =
    Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c + 0x165667b1, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * An open-addressing hash table from key triples to a non-negative value, stored interleaved
 * (a, b, c, value) so that one probe touches one cache line. Grows at load 1/2; capacity follows
 * the number of distinct keys, not the number of rows.
 */
class TripleTable {
  slots: Int32Array;
  mask: number;
  size = 0;

  constructor() {
    this.mask = 1023;
    this.slots = new Int32Array(4 * 1024).fill(-1);
  }

  /** The slot index (multiple of 4) of the key, inserted with `value` if absent. */
  slotOf(a: number, b: number, c: number, value: number): number {
    let slots = this.slots;
    let h = mix(a, b, c) & this.mask;
    for (;;) {
      const at = h << 2;
      const v = slots[at + 3];
      if (v === -1) break;
      if (slots[at] === a && slots[at + 1] === b && slots[at + 2] === c) return at;
      h = (h + 1) & this.mask;
    }
    if (2 * (this.size + 1) > this.mask + 1) {
      this.grow();
      slots = this.slots;
      h = mix(a, b, c) & this.mask;
      while (slots[(h << 2) + 3] !== -1) h = (h + 1) & this.mask;
    }
    const at = h << 2;
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = c;
    slots[at + 3] = value;
    this.size++;
    return at;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = 2 * (this.mask + 1);
    this.mask = capacity - 1;
    this.slots = new Int32Array(4 * capacity).fill(-1);
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 3] === -1) continue;
      let h = mix(old[at], old[at + 1], old[at + 2]) & this.mask;
      while (this.slots[(h << 2) + 3] !== -1) h = (h + 1) & this.mask;
      this.slots.set(old.subarray(at, at + 4), h << 2);
    }
  }
}

/**
 * Re-codes the pairs (a[i], b[i]) (b omitted: the values a[i]) densely in order of first
 * appearance, through a hash table that grows with the number of distinct pairs.
 */
export function densePairCodes(
  a: Int32Array,
  b: Int32Array | null,
): { codes: Int32Array; cardinality: number } {
  const n = a.length;
  const codes = new Int32Array(n);
  const table = new TripleTable();
  for (let i = 0; i < n; i++) {
    const at = table.slotOf(a[i], b === null ? 0 : b[i], 0, table.size);
    codes[i] = table.slots[at + 3];
  }
  return { codes, cardinality: table.size };
}

/** Counts of non-negative integer keys in an open-addressing table of (key, count) pairs. */
function countKeys(keyOf: (i: number) => number, n: number): Float64Array {
  let mask = 1023;
  let slots = new Int32Array(2 * 1024).fill(-1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    let h = (Math.imul(key, 0x9e3779b1) >>> 7) & mask;
    for (;;) {
      const at = h << 1;
      const k = slots[at];
      if (k === key) {
        slots[at + 1]++;
        break;
      }
      if (k === -1) {
        slots[at] = key;
        slots[at + 1] = 1;
        size++;
        if (2 * size > mask + 1) {
          const old = slots;
          mask = 2 * (mask + 1) - 1;
          slots = new Int32Array(2 * (mask + 1)).fill(-1);
          for (let j = 0; j < old.length; j += 2) {
            if (old[j] === -1) continue;
            let g = (Math.imul(old[j], 0x9e3779b1) >>> 7) & mask;
            while (slots[g << 1] !== -1) g = (g + 1) & mask;
            slots[g << 1] = old[j];
            slots[(g << 1) + 1] = old[j + 1];
          }
        }
        break;
      }
      h = (h + 1) & mask;
    }
  }
  const counts = new Float64Array(size);
  let k = 0;
  for (let at = 0; at < slots.length; at += 2) if (slots[at] !== -1) counts[k++] = slots[at + 1];
  return counts;
}

/**
 * The counts of the distinct rows of two or three code columns (codes below the given
 * cardinalities), in no particular order, without materialising per-row joint codes. When the
 * product of cardinalities fits in 31 bits the mixed-radix code is the key of a compact
 * (key, count) table; otherwise the tuple itself is.
 */
export function countDistinctTuples(
  columns: readonly Int32Array[],
  cardinalities: readonly number[],
): Float64Array {
  if (columns.length < 2 || columns.length > 3 || cardinalities.length !== columns.length) {
    throw new OpenloopError(
      "internal",
      "countDistinctTuples takes two or three columns and their cardinalities",
    );
  }
  const [a, b] = columns;
  const c = columns.length === 3 ? columns[2] : null;
  const product = cardinalities.reduce((p, k) => p * k, 1);
  if (product <= 0x7fffffff) {
    const cb = cardinalities[1];
    if (c === null) return countKeys((i) => a[i] * cb + b[i], a.length);
    const cc = cardinalities[2];
    return countKeys((i) => (a[i] * cb + b[i]) * cc + c[i], a.length);
  }
  const table = new TripleTable();
  for (let i = 0; i < a.length; i++) {
    const at = table.slotOf(a[i], b[i], c === null ? 0 : c[i], 0);
    table.slots[at + 3]++;
  }
  const counts = new Float64Array(table.size);
  const slots = table.slots;
  let k = 0;
  for (let at = 0; at < slots.length; at += 4) if (slots[at + 3] > 0) counts[k++] = slots[at + 3];
  return counts;
}

/**
 * Combines several code columns (equal lengths) into one joint code column. Codes lie in
 * 0..cardinality-1; when the product of the columns' cardinalities is small the joint code is
 * mixed-radix (some codes may be unused), otherwise it is re-coded densely (cardinality = number
 * of distinct joint values). A single small column is returned as is (not copied).
 * @example jointCodes([Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1)]) // codes [0, 2, 3], cardinality 4
 */
export function jointCodes(columns: Int32Array[]): { codes: Int32Array; cardinality: number } {
  if (columns.length === 0) {
    throw new OpenloopError("usage", "jointCodes needs at least one column");
  }
  const n = columns[0].length;
  for (const column of columns) {
    if (column.length !== n) {
      throw new OpenloopError("input", `columns differ in length (${n} and ${column.length} rows)`);
    }
  }
  const limit = denseLimit(n);
  let codes = columns[0];
  let cardinality = codeCardinality(codes);
  if (cardinality > limit) ({ codes, cardinality } = densePairCodes(codes, null));
  for (let j = 1; j < columns.length; j++) {
    const column = columns[j];
    let cb = codeCardinality(column);
    let b = column;
    if (cb > limit) ({ codes: b, cardinality: cb } = densePairCodes(column, null));
    if (cardinality * cb <= limit) {
      const next = new Int32Array(n);
      for (let i = 0; i < n; i++) next[i] = codes[i] * cb + b[i];
      codes = next;
      cardinality *= cb;
    } else {
      ({ codes, cardinality } = densePairCodes(codes, b));
    }
  }
  return { codes, cardinality };
}

/**
 * Counts each code 0..cardinality-1. Throws if a code lies outside that range.
 * @example countCodes(Int32Array.of(0, 2, 2), 3) // Float64Array [1, 0, 2]
 */
export function countCodes(codes: Int32Array, cardinality: number): Float64Array {
  const tally = new Int32Array(cardinality);
  for (let i = 0; i < codes.length; i++) tally[codes[i]]++;
  let total = 0;
  for (let c = 0; c < cardinality; c++) total += tally[c];
  if (total !== codes.length) {
    throw new OpenloopError("input", `codes outside 0..${cardinality - 1}`);
  }
  return Float64Array.from(tally);
}
