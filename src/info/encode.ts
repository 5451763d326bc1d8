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
const DENSE_MAX = 1 << 24;

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

function mix(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * Re-codes the pairs (a[i], b[i]) (b omitted: the values a[i]) densely in order of first
 * appearance, with an open-addressing hash table that grows with the number of distinct pairs.
 */
export function densePairCodes(
  a: Int32Array,
  b: Int32Array | null,
): { codes: Int32Array; cardinality: number } {
  const n = a.length;
  const codes = new Int32Array(n);
  let capacity = 1024;
  let mask = capacity - 1;
  let keyA = new Int32Array(capacity);
  let keyB = new Int32Array(capacity);
  let slot = new Int32Array(capacity).fill(-1);
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const ka = a[i];
    const kb = b === null ? 0 : b[i];
    let h = mix(ka, kb) & mask;
    while (slot[h] !== -1 && (keyA[h] !== ka || keyB[h] !== kb)) h = (h + 1) & mask;
    if (slot[h] === -1) {
      slot[h] = distinct++;
      keyA[h] = ka;
      keyB[h] = kb;
      if (2 * distinct > capacity) {
        const oldA = keyA;
        const oldB = keyB;
        const oldSlot = slot;
        capacity *= 2;
        mask = capacity - 1;
        keyA = new Int32Array(capacity);
        keyB = new Int32Array(capacity);
        slot = new Int32Array(capacity).fill(-1);
        for (let j = 0; j < oldSlot.length; j++) {
          if (oldSlot[j] === -1) continue;
          let g = mix(oldA[j], oldB[j]) & mask;
          while (slot[g] !== -1) g = (g + 1) & mask;
          slot[g] = oldSlot[j];
          keyA[g] = oldA[j];
          keyB[g] = oldB[j];
        }
        h = mix(ka, kb) & mask;
        while (keyA[h] !== ka || keyB[h] !== kb || slot[h] === -1) h = (h + 1) & mask;
      }
    }
    codes[i] = slot[h];
  }
  return { codes, cardinality: distinct };
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
