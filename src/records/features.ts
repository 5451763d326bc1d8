/**
 * Surface features computed for every record that has a response: length in characters and in
 * whitespace-separated tokens, line count, and format markers (a `\boxed{}` answer, a code
 * fence, a bullet list, a "final answer" phrase). User features from the record's `features`
 * are added under their own names (a user feature wins over a built-in one of the same name).
 */
import { isAscii } from "node:buffer";
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
function bulletIn(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    if (bulletLine(text, start)) return true;
    const next = text.indexOf("\n", start);
    if (next < 0) break;
    start = next + 1;
  }
  return false;
}

/** Whether the line of `text` starting at `start` starts a bullet. */
function bulletLine(text: string, start: number): boolean {
  const end = text.length;
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const c = i < end ? text.charCodeAt(i) : -1;
  let j = -1;
  if (c === 45 || c === 42 || c === 43 || c === 0x2022) j = i + 1;
  else {
    let k = i;
    while (k < end && k - i < 3 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    const d = k < end ? text.charCodeAt(k) : -1;
    if (k > i && (d === 46 || d === 41)) j = k + 1;
  }
  if (j < 0 || j >= end || !isBlank(text.charCodeAt(j))) return false;
  while (j < end && isBlank(text.charCodeAt(j))) j++;
  if (j >= end) return false;
  const e = text.charCodeAt(j);
  return e !== 10 && e !== 13 && e !== 11 && e !== 12;
}

/**
 * `bulletLine` of the UTF-8 text `bytes[..end)` at byte `start` (a line start): the same steps
 * on bytes, where the bullet U+2022 is E2 80 A2 and every other character it looks for is one
 * ASCII byte (no other character's bytes are ASCII).
 */
function bulletLineUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
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
  if (j < 0 || j >= end || !isBlank(bytes[j])) return false;
  while (j < end && isBlank(bytes[j])) j++;
  if (j >= end) return false;
  const e = bytes[j];
  return e !== 10 && e !== 13 && e !== 11 && e !== 12;
}

/** The two phrases of has_final_answer (`FINAL`), lower case, as bytes; both hold one "w". */
const PHRASES = ["final answer", "the answer is"].map((phrase) => Buffer.from(phrase, "latin1"));
const PHRASE_W = PHRASES.map((phrase) => phrase.indexOf("w"));

/**
 * Whether one of the phrases of `FINAL`, with its "w" at byte `p` (a "w" or "W"), lies inside
 * the UTF-8 text `bytes[start..end)`: case-insensitive on ASCII letters, as the RegExp (without
 * the u flag it never folds a non-ASCII character to an ASCII one, and no other character's
 * bytes are ASCII); `b | 32` is a lower-case letter only for that letter in either case, and
 * the space is matched exactly.
 */
function phraseAt(bytes: Uint8Array, p: number, start: number, end: number): boolean {
  // both go on with "er" after their "w" (most other "w"s fail here)
  if (p + 2 >= end || (bytes[p + 1] | 32) !== 0x65 || (bytes[p + 2] | 32) !== 0x72) return false;
  for (let k = 0; k < PHRASES.length; k++) {
    const phrase = PHRASES[k];
    const at = p - PHRASE_W[k];
    if (at < start || at + phrase.length > end) continue;
    let m = 0;
    while (m < phrase.length && (phrase[m] === 32 ? bytes[at + m] : bytes[at + m] | 32) === phrase[m]) m++;
    if (m === phrase.length) return true;
  }
  return false;
}

/**
 * For byte `p` of the UTF-8 text `bytes[start..end)`, a newline or a "w"/"W": sets `out[3]`
 * when the line after the newline starts a bullet, `out[4]` when a phrase of `FINAL` has its
 * "w" there (each looked for only until found).
 */
function markAt(bytes: Uint8Array, p: number, start: number, end: number, out: Float64Array): void {
  if (bytes[p] === 10) {
    if (out[3] === 0 && bulletLineUtf8(bytes, p + 1, end)) out[3] = 1;
  } else if (out[4] === 0 && phraseAt(bytes, p, start, end)) out[4] = 1;
}

/** `markAt` for each byte of the 4 bytes from `at` whose bit 7 is set in `flags` (a SWAR mask). */
function markWord(
  bytes: Uint8Array,
  at: number,
  flags: number,
  start: number,
  end: number,
  out: Float64Array,
): void {
  for (let f = flags; f !== 0; f &= f - 1)
    markAt(bytes, at + ((31 - Math.clz32(f & -f)) >> 3), start, end, out);
}

/** Number of whitespace-separated tokens of `text`. */
function countTokens(text: string): number {
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
function countLines(text: string): number {
  if (text === "") return 0;
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return text.endsWith("\n") ? lines - 1 : lines;
}

/**
 * The built-in features of `response` as numbers (booleans as 1/0), in `BUILTIN_FEATURES` order,
 * written into `out` (the reference the UTF-8 versions below equal).
 */
export function builtinFeatureValues(response: string, out: Float64Array): void {
  out[0] = response.length;
  out[1] = countTokens(response);
  out[2] = countLines(response);
  out[3] = response.includes("\\boxed{") ? 1 : 0;
  out[4] = response.includes("```") ? 1 : 0;
  out[5] = bulletIn(response) ? 1 : 0;
  out[6] = FINAL.test(response) ? 1 : 0;
}

/**
 * Per byte of UTF-8: bits 0-1 the UTF-16 code units it starts (0 for a continuation byte, 2 for
 * the lead of a 4-byte sequence), bit 2 whitespace (9-13, 32), bit 3 a newline, bit 4 the lead
 * byte C2 (of U+00A0), bit 5 "w" or "W" (see `markAt`).
 */
const BYTE_CLASS = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    table[b] = b < 0x80 || (b >= 0xc0 && b < 0xf0) ? 1 : b >= 0xf0 ? 2 : 0;
    if (b === 32 || (b >= 9 && b <= 13)) table[b] |= 4;
    if (b === 10) table[b] |= 8;
    if (b === 0xc2) table[b] |= 16;
    if ((b | 32) === 0x77) table[b] |= 32;
  }
  return table;
})();

/** A 32-bit view of `bytes` from its first 4-byte-aligned byte: `words[k]` holds `bytes[base + 4k ..+ 4)`. */
function wordsOf(bytes: Uint8Array): { words: Int32Array; base: number } {
  const base = (4 - (bytes.byteOffset & 3)) & 3;
  const count = Math.max(0, (bytes.byteLength - base) >> 2);
  return { words: new Int32Array(bytes.buffer, bytes.byteOffset + base, count), base };
}

/** Number of bytes of `flags` (bit 7 of each byte) that are set. */
function countFlags(flags: number): number {
  return Math.imul(flags >>> 7, 0x01010101) >>> 24;
}

/**
 * The built-in features but the two plain substrings of the UTF-8 text `bytes[start..end)`, in
 * one pass: the length in UTF-16 code units, the tokens and the lines to `out[0..2]`, whether it
 * has bullets and the "final answer" phrase to `out[3..4]` (see `markAt`). With `words` (see
 * `wordsOf`), four ASCII bytes at a time (SWAR: per byte, bit 7 of `b + 0x77` is b >= 9, of
 * `b + 0x72` b >= 14, and `(b ^ x) + 0x7f` has it clear only for b = x; no carry crosses a byte
 * since b < 0x80).
 */
function countUtf8(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  words: Int32Array | null,
  base: number,
): void {
  let length = 0;
  let tokens = 0;
  let newlines = 0;
  // 1 while between tokens
  let gap = 1;
  out[3] = start < end && bulletLineUtf8(bytes, start, end) ? 1 : 0;
  out[4] = 0;
  let i = start;
  while (i < end) {
    if (words !== null && i >= base && ((i - base) & 3) === 0 && i + 4 <= end) {
      const w = words[(i - base) >> 2];
      if ((w & 0x80808080) === 0) {
        const ge9 = (w + 0x77777777) & 0x80808080;
        const ge14 = (w + 0x72727272) & 0x80808080;
        const space = (ge9 & ~ge14) | (~((w ^ 0x20202020) + 0x7f7f7f7f) & 0x80808080);
        const newline = ~((w ^ 0x0a0a0a0a) + 0x7f7f7f7f) & 0x80808080;
        const anchor = ~(((w | 0x20202020) ^ 0x77777777) + 0x7f7f7f7f) & 0x80808080;
        // a token starts at a byte that is not a space after one that is (the previous word's last byte for the first)
        tokens += countFlags(~space & ((space << 8) | (gap << 7)) & 0x80808080);
        newlines += countFlags(newline);
        if ((newline | anchor) !== 0) markWord(bytes, i, newline | anchor, start, end, out);
        gap = (space >>> 31) & 1;
        length += 4;
        i += 4;
        continue;
      }
    }
    const c = BYTE_CLASS[bytes[i]];
    // a continuation byte continues its character: whitespace only in C2 A0, handled at C2
    if ((c & 3) !== 0) {
      length += c & 3;
      let space = (c >> 2) & 1;
      newlines += (c >> 3) & 1;
      if ((c & 40) !== 0) markAt(bytes, i, start, end, out);
      if ((c & 16) !== 0 && i + 1 < end && bytes[i + 1] === 0xa0) {
        space = 1;
        i++;
      }
      tokens += gap & (space ^ 1);
      gap = space;
    }
    i++;
  }
  out[0] = length;
  out[1] = tokens;
  out[2] = length === 0 ? 0 : bytes[end - 1] === 10 ? newlines : newlines + 1;
}

/** Per byte: 1 for the space bytes 9-13 and 32, 2 for a byte `markAt` looks at (a newline, "w", "W"). */
const ASCII_CLASS = Uint8Array.from(
  { length: 256 },
  (_, b) => (b === 32 || (b >= 9 && b <= 13) ? 1 : 0) | (b === 10 || (b | 32) === 0x77 ? 2 : 0),
);

/**
 * `countUtf8` of the ASCII text `bytes[start..end)`: its length is its byte count; the
 * 4-byte-aligned words inside it (see `wordsOf`) are read four bytes at a time with no per-word
 * ASCII check or alignment test, the bytes before and after them one by one.
 */
function countAscii(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  words: Int32Array,
  base: number,
): void {
  let tokens = 0;
  let newlines = 0;
  // 1 while between tokens
  let gap = 1;
  out[3] = start < end && bulletLineUtf8(bytes, start, end) ? 1 : 0;
  out[4] = 0;
  // the first word boundary at or after start (base when start < base)
  const aligned = base + (((start - base + 3) >> 2) << 2);
  let i = start;
  for (const headEnd = Math.min(aligned, end); i < headEnd; i++) {
    const b = bytes[i];
    const c = ASCII_CLASS[b];
    const space = c & 1;
    tokens += gap & (space ^ 1);
    gap = space;
    if (c > 1) {
      if (b === 10) newlines++;
      markAt(bytes, i, start, end, out);
    }
  }
  const lastWord = (end - base) >> 2;
  for (let k = (i - base) >> 2; k < lastWord; k++) {
    const w = words[k];
    const ge9 = (w + 0x77777777) & 0x80808080;
    const ge14 = (w + 0x72727272) & 0x80808080;
    const space = (ge9 & ~ge14) | (~((w ^ 0x20202020) + 0x7f7f7f7f) & 0x80808080);
    const newline = ~((w ^ 0x0a0a0a0a) + 0x7f7f7f7f) & 0x80808080;
    const anchor = ~(((w | 0x20202020) ^ 0x77777777) + 0x7f7f7f7f) & 0x80808080;
    tokens += countFlags(~space & ((space << 8) | (gap << 7)) & 0x80808080);
    newlines += countFlags(newline);
    if ((newline | anchor) !== 0) markWord(bytes, base + (k << 2), newline | anchor, start, end, out);
    gap = (space >>> 31) & 1;
  }
  for (i = Math.max(i, base + (lastWord << 2)); i < end; i++) {
    const b = bytes[i];
    const c = ASCII_CLASS[b];
    const space = c & 1;
    tokens += gap & (space ^ 1);
    gap = space;
    if (c > 1) {
      if (b === 10) newlines++;
      markAt(bytes, i, start, end, out);
    }
  }
  out[0] = end - start;
  out[1] = tokens;
  out[2] = end === start ? 0 : bytes[end - 1] === 10 ? newlines : newlines + 1;
}

/** `countUtf8`'s output for `builtinFeatureValuesUtf8`. */
const counts = new Float64Array(5);

/**
 * `builtinFeatureValues` of the valid UTF-8 text `bytes[start..end)`, without decoding it: the
 * length in UTF-16 code units counts every byte but continuation bytes, and 4-byte sequences
 * twice; whitespace is bytes 9-13 and 32 or U+00A0 (C2 A0); the bullet U+2022 is E2 80 A2; the
 * plain substrings are searched in the bytes read as Latin-1 characters (they are ASCII, and no
 * other character's bytes are). Equal to the string version on every text.
 */
export function builtinFeatureValuesUtf8(bytes: Buffer, start: number, end: number, out: Float64Array): void {
  const values = counts;
  countUtf8(bytes, start, end, values, null, 0);
  const text = bytes.toString("latin1", start, end);
  out[0] = values[0];
  out[1] = values[1];
  out[2] = values[2];
  out[3] = text.includes("\\boxed{") ? 1 : 0;
  out[4] = text.includes("```") ? 1 : 0;
  out[5] = values[3];
  out[6] = values[4];
}

/**
 * `builtinFeatureValuesUtf8` of many texts of one buffer at once, but for `out[3]` and `out[4]`
 * (the two plain substrings, `\boxed{` and the code fence), left to the caller (DuckDB's
 * `contains` finds them faster): text `r` (for `r` in `rows[0..count)`) is
 * `bytes[starts[r]..starts[r] + lengths[r])`; its features go to `out[k][r]`.
 */
export function builtinFeatureValuesUtf8Many(
  bytes: Buffer,
  rows: Int32Array,
  count: number,
  starts: Float64Array,
  lengths: Float64Array,
  out: Float64Array[],
): void {
  if (count === 0) return;
  const values = new Float64Array(5);
  const { words, base: wordBase } = wordsOf(bytes);
  const last = rows[count - 1];
  // the usual span of ASCII texts skips every per-byte UTF-8 test
  const ascii = isAscii(bytes.subarray(starts[rows[0]], starts[last] + lengths[last]));
  for (let i = 0; i < count; i++) {
    const r = rows[i];
    if (ascii) countAscii(bytes, starts[r], starts[r] + lengths[r], values, words, wordBase);
    else countUtf8(bytes, starts[r], starts[r] + lengths[r], values, words, wordBase);
    out[0][r] = values[0];
    out[1][r] = values[1];
    out[2][r] = values[2];
    out[5][r] = values[3];
    out[6][r] = values[4];
  }
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
