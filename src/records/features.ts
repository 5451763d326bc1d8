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

/**
 * Whether a line of `text` starts a bullet: `-`, `*`, `+`, `\u2022` or `1.` / `1)` then a space and
 * text; with `utf8`, `text` holds UTF-8 bytes as Latin-1 characters (the bullet is then E2 80 A2).
 */
function bulletIn(text: string, utf8: boolean): boolean {
  for (let start = 0; start < text.length; ) {
    if (bulletLine(text, start, text.length, utf8)) return true;
    const next = text.indexOf("\n", start);
    if (next < 0) break;
    start = next + 1;
  }
  return false;
}

/** Whether the line of `text` starting at `start` starts a bullet, the text ending at `end`. */
function bulletLine(text: string, start: number, end: number, utf8: boolean): boolean {
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const c = i < end ? text.charCodeAt(i) : -1;
  let j = -1;
  if (c === 45 || c === 42 || c === 43 || (c === 0x2022 && !utf8)) j = i + 1;
  else if (
    utf8 &&
    c === 0xe2 &&
    i + 2 < end &&
    text.charCodeAt(i + 1) === 0x80 &&
    text.charCodeAt(i + 2) === 0xa2
  )
    j = i + 3;
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
  out[5] = bulletIn(response, false) ? 1 : 0;
  out[6] = FINAL.test(response) ? 1 : 0;
}

/**
 * Per byte of UTF-8: bits 0-1 the UTF-16 code units it starts (0 for a continuation byte, 2 for
 * the lead of a 4-byte sequence), bit 2 whitespace (9-13, 32), bit 3 a newline, bit 4 the lead
 * byte C2 (of U+00A0).
 */
const BYTE_CLASS = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    table[b] = b < 0x80 || (b >= 0xc0 && b < 0xf0) ? 1 : b >= 0xf0 ? 2 : 0;
    if (b === 32 || (b >= 9 && b <= 13)) table[b] |= 4;
    if (b === 10) table[b] |= 8;
    if (b === 0xc2) table[b] |= 16;
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
 * Writes the length in UTF-16 code units, the tokens and the lines of the UTF-8 text
 * `bytes[start..end)` to `out[0..2]`. With `words` (see `wordsOf`), four ASCII bytes at a time
 * (SWAR: per byte, bit 7 of `b + 0x77` is b >= 9, of `b + 0x72` b >= 14, and `(b ^ 32) + 0x7f`
 * has it clear only for b = 32; no carry crosses a byte since b < 0x80).
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
  let i = start;
  while (i < end) {
    if (words !== null && i >= base && ((i - base) & 3) === 0 && i + 4 <= end) {
      const w = words[(i - base) >> 2];
      if ((w & 0x80808080) === 0) {
        const ge9 = (w + 0x77777777) & 0x80808080;
        const ge14 = (w + 0x72727272) & 0x80808080;
        const space = (ge9 & ~ge14) | (~((w ^ 0x20202020) + 0x7f7f7f7f) & 0x80808080);
        const newline = ~((w ^ 0x0a0a0a0a) + 0x7f7f7f7f) & 0x80808080;
        // a token starts at a byte that is not a space after one that is (the previous word's last byte for the first)
        tokens += countFlags(~space & ((space << 8) | (gap << 7)) & 0x80808080);
        newlines += countFlags(newline);
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
      if (c >= 16 && i + 1 < end && bytes[i + 1] === 0xa0) {
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

/** 1 for the space bytes 9-13 and 32. */
const SPACE_BYTE = Uint8Array.from({ length: 256 }, (_, b) => (b === 32 || (b >= 9 && b <= 13) ? 1 : 0));

/**
 * `countUtf8` of the ASCII text `bytes[start..end)`: its length is its byte count; the tokens
 * and lines of the 4-byte-aligned words inside it (see `wordsOf`) are counted four bytes at a
 * time with no per-word ASCII check or alignment test, the bytes before and after them one by one.
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
  // the first word boundary at or after start (base when start < base)
  const aligned = base + (((start - base + 3) >> 2) << 2);
  let i = start;
  for (const headEnd = Math.min(aligned, end); i < headEnd; i++) {
    const b = bytes[i];
    const space = SPACE_BYTE[b];
    tokens += gap & (space ^ 1);
    gap = space;
    if (b === 10) newlines++;
  }
  const lastWord = (end - base) >> 2;
  for (let k = (i - base) >> 2; k < lastWord; k++) {
    const w = words[k];
    const ge9 = (w + 0x77777777) & 0x80808080;
    const ge14 = (w + 0x72727272) & 0x80808080;
    const space = (ge9 & ~ge14) | (~((w ^ 0x20202020) + 0x7f7f7f7f) & 0x80808080);
    tokens += countFlags(~space & ((space << 8) | (gap << 7)) & 0x80808080);
    newlines += countFlags(~((w ^ 0x0a0a0a0a) + 0x7f7f7f7f) & 0x80808080);
    gap = (space >>> 31) & 1;
  }
  for (i = Math.max(i, base + (lastWord << 2)); i < end; i++) {
    const b = bytes[i];
    const space = SPACE_BYTE[b];
    tokens += gap & (space ^ 1);
    gap = space;
    if (b === 10) newlines++;
  }
  out[0] = end - start;
  out[1] = tokens;
  out[2] = end === start ? 0 : bytes[end - 1] === 10 ? newlines : newlines + 1;
}

/**
 * `builtinFeatureValues` of the valid UTF-8 text `bytes[start..end)`, without decoding it: the
 * length in UTF-16 code units counts every byte but continuation bytes, and 4-byte sequences
 * twice; whitespace is bytes 9-13 and 32 or U+00A0 (C2 A0); the markers are searched in the
 * bytes read as Latin-1 characters, where the bullet U+2022 is E2 80 A2 and the
 * case-insensitive "final answer" RegExp matches as on the text (without the u flag it never
 * folds a non-ASCII character to an ASCII one, and ASCII bytes only stand for ASCII characters).
 * Equal to the string version on every text.
 */
export function builtinFeatureValuesUtf8(bytes: Buffer, start: number, end: number, out: Float64Array): void {
  countUtf8(bytes, start, end, out, null, 0);
  const text = bytes.toString("latin1", start, end);
  out[3] = text.includes("\\boxed{") ? 1 : 0;
  out[4] = text.includes("```") ? 1 : 0;
  out[5] = bulletIn(text, true) ? 1 : 0;
  out[6] = FINAL.test(text) ? 1 : 0;
}

const FINAL_ALL = new RegExp(FINAL.source, "gi");

/**
 * `builtinFeatureValuesUtf8` of many texts of one buffer at once, but for `out[3]` and `out[4]`
 * (the two plain substrings, `\boxed{` and the code fence), left to the caller (DuckDB's
 * `contains` finds them faster): text `r` (for `r` in `rows[0..count)`) is
 * `bytes[starts[r]..starts[r] + lengths[r])`, in increasing, non-overlapping order; its features
 * go to `out[k][r]`. The "final answer" phrase is searched once over the whole span (a match
 * counts for a text when it lies inside it; a match that crosses into the next text starts with
 * its only "f" or "t", so it hides no match of that text), not once per text.
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
  const values = new Float64Array(3);
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
    out[5][r] = 0;
    out[6][r] = 0;
  }
  const base = starts[rows[0]];
  const text = bytes.toString("latin1", base, starts[rows[count - 1]] + lengths[rows[count - 1]]);
  // the phrase: a match marks the text holding it, and the search goes on after that text
  let i = 0;
  FINAL_ALL.lastIndex = 0;
  while (FINAL_ALL.test(text)) {
    // `test` allocates no match: the match ends at lastIndex, in "r" (final answer) or "s" (the answer is)
    const matchEnd = FINAL_ALL.lastIndex;
    const at = matchEnd - ((text.charCodeAt(matchEnd - 1) | 32) === 115 ? 13 : 12);
    while (i < count && starts[rows[i]] + lengths[rows[i]] - base <= at) i++;
    if (i === count) break;
    const r = rows[i];
    const end = starts[r] + lengths[r] - base;
    if (starts[r] - base <= at && matchEnd <= end) {
      out[6][r] = 1;
      FINAL_ALL.lastIndex = end;
    } else FINAL_ALL.lastIndex = at + 1;
  }
  let newline = -1;
  for (let n = 0; n < count; n++) {
    const r = rows[n];
    const end = starts[r] + lengths[r] - base;
    for (let line = starts[r] - base; line < end; ) {
      if (bulletLine(text, line, end, true)) {
        out[5][r] = 1;
        break;
      }
      if (newline < line) newline = text.indexOf("\n", line);
      if (newline < 0) newline = text.length;
      line = newline + 1;
    }
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
