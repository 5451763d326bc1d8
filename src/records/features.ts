/**
 * Surface features computed for every record that has a response: length in characters and in
 * whitespace-separated tokens, line count, and format markers (a `\boxed{}` answer, a code
 * fence, a bullet list, a "final answer" phrase). User features from the record's `features`
 * are added under their own names (a user feature wins over a built-in one of the same name).
 */
import type { RecordValue, RolloutRecord } from "./record.js";

/** The built-in feature names, in documentation order. */
export const BUILTIN_FEATURES = [
  "length_chars",
  "length_tokens",
  "line_count",
  "has_boxed",
  "has_code_fence",
  "has_bullets",
  "has_final_answer",
] as const;

const FINAL = /final answer|the answer is/i;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Whether a line of `text` starts a bullet: `-`, `*`, `+`, `\u2022` or `1.` / `1)` then a space and text. */
export function hasBullet(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    let i = start;
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    let j = -1;
    if (c === 45 || c === 42 || c === 43 || c === 0x2022) j = i + 1;
    else {
      let k = i;
      while (k < text.length && k - i < 3 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
      const d = text.charCodeAt(k);
      if (k > i && (d === 46 || d === 41)) j = k + 1;
    }
    if (j > 0 && isBlank(text.charCodeAt(j))) {
      while (j < text.length && isBlank(text.charCodeAt(j))) j++;
      const e = text.charCodeAt(j);
      if (j < text.length && e !== 10 && e !== 13 && e !== 11 && e !== 12) return true;
    }
    const next = text.indexOf("\n", start);
    if (next < 0) break;
    start = next + 1;
  }
  return false;
}

/** Number of whitespace-separated tokens of `text`. */
export function countTokens(text: string): number {
  let tokens = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13) || c === 160;
    if (!space && !inToken) tokens++;
    inToken = !space;
  }
  return tokens;
}

/** Number of lines of `text` (0 for the empty string). */
export function countLines(text: string): number {
  if (text === "") return 0;
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return text.endsWith("\n") ? lines - 1 : lines;
}

/**
 * The built-in features of `response` as numbers (booleans as 1/0), in `BUILTIN_FEATURES` order,
 * written into `out` (no object per call: the columnar Parquet path calls it once per row).
 */
export function builtinFeatureValues(response: string, out: Float64Array): void {
  out[0] = response.length;
  out[1] = countTokens(response);
  out[2] = countLines(response);
  out[3] = response.includes("\\boxed{") ? 1 : 0;
  out[4] = response.includes("```") ? 1 : 0;
  out[5] = hasBullet(response) ? 1 : 0;
  out[6] = FINAL.test(response) ? 1 : 0;
}

/** Whether `bytes[at..end)` starts with the ASCII `pattern` (letters of `pattern` lower case), ignoring ASCII case. */
function startsWithFolded(bytes: Uint8Array, at: number, end: number, pattern: string): boolean {
  if (at + pattern.length > end) return false;
  for (let k = 1; k < pattern.length; k++) {
    const p = pattern.charCodeAt(k);
    const b = bytes[at + k];
    if (p >= 97 && p <= 122 ? (b | 32) !== p : b !== p) return false;
  }
  return true;
}

/** Whether `bytes[at..end)` starts with the ASCII `pattern`, exactly. */
function startsWith(bytes: Uint8Array, at: number, end: number, pattern: string): boolean {
  if (at + pattern.length > end) return false;
  for (let k = 1; k < pattern.length; k++) if (bytes[at + k] !== pattern.charCodeAt(k)) return false;
  return true;
}

/** `hasBullet` of the UTF-8 text `bytes[start..end)`. */
function hasBulletUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  for (let line = start; line < end; ) {
    let i = line;
    while (i < end && isBlank(bytes[i])) i++;
    const c = i < end ? bytes[i] : -1;
    let j = -1;
    if (c === 45 || c === 42 || c === 43) j = i + 1;
    else if (c === 0xe2 && i + 2 < end && bytes[i + 1] === 0x80 && bytes[i + 2] === 0xa2) j = i + 3;
    else {
      let k = i;
      while (k < end && k - i < 3 && bytes[k] >= 48 && bytes[k] <= 57) k++;
      const d = k < end ? bytes[k] : -1;
      if (k > i && (d === 46 || d === 41)) j = k + 1;
    }
    if (j >= 0 && j < end && isBlank(bytes[j])) {
      while (j < end && isBlank(bytes[j])) j++;
      const e = bytes[j];
      if (j < end && e !== 10 && e !== 13 && e !== 11 && e !== 12) return true;
    }
    let next = i;
    while (next < end && bytes[next] !== 10) next++;
    line = next + 1;
  }
  return false;
}

/**
 * `builtinFeatureValues` of the valid UTF-8 text `bytes[start..end)`, without decoding it: the
 * length in UTF-16 code units counts every byte but continuation bytes, and 4-byte sequences
 * twice; whitespace is bytes 9-13 and 32 or U+00A0 (C2 A0); the bullet U+2022 is E2 80 A2; and
 * the case-insensitive "final answer" match is ASCII-only (a RegExp without the u flag never
 * folds a non-ASCII character to an ASCII one). Equal to the string version on every text.
 */
export function builtinFeatureValuesUtf8(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
): void {
  let length = 0;
  let tokens = 0;
  let newlines = 0;
  let inToken = false;
  let boxed = 0;
  let fence = 0;
  let final = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b < 0x80) {
      length++;
      const space = b === 32 || (b >= 9 && b <= 13);
      if (!space && !inToken) tokens++;
      inToken = !space;
      if (b === 10) newlines++;
      else if (b === 92) boxed |= startsWith(bytes, i, end, "\\boxed{") ? 1 : 0;
      else if (b === 96) fence |= startsWith(bytes, i, end, "```") ? 1 : 0;
      else if ((b | 32) === 102) final |= startsWithFolded(bytes, i, end, "final answer") ? 1 : 0;
      else if ((b | 32) === 116) final |= startsWithFolded(bytes, i, end, "the answer is") ? 1 : 0;
    } else if (b >= 0xc0) {
      length += b >= 0xf0 ? 2 : 1;
      const space = b === 0xc2 && bytes[i + 1] === 0xa0;
      if (!space && !inToken) tokens++;
      inToken = !space;
    }
  }
  out[0] = length;
  out[1] = tokens;
  out[2] = length === 0 ? 0 : bytes[end - 1] === 10 ? newlines : newlines + 1;
  out[3] = boxed;
  out[4] = fence;
  out[5] = hasBulletUtf8(bytes, start, end) ? 1 : 0;
  out[6] = final;
}

const scratch = new Float64Array(BUILTIN_FEATURES.length);

/**
 * The built-in features of a response.
 * @example builtinFeatures("The final answer is \\boxed{4}").has_boxed // true
 */
export function builtinFeatures(response: string): Record<(typeof BUILTIN_FEATURES)[number], RecordValue> {
  builtinFeatureValues(response, scratch);
  return {
    length_chars: scratch[0],
    length_tokens: scratch[1],
    line_count: scratch[2],
    has_boxed: scratch[3] === 1,
    has_code_fence: scratch[4] === 1,
    has_bullets: scratch[5] === 1,
    has_final_answer: scratch[6] === 1,
  };
}

/** All features of a record: built-in ones (when it has a response) and the user's. */
export function recordFeatures(record: RolloutRecord): Record<string, RecordValue> {
  const builtin = record.response === undefined ? {} : builtinFeatures(record.response);
  return record.features === undefined ? builtin : { ...builtin, ...record.features };
}
