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

const BULLET = /^[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+\S/m;
const FINAL = /\b(?:final answer|the answer is)\b/i;

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
 * The built-in features of a response.
 * @example builtinFeatures("The final answer is \\boxed{4}").has_boxed // true
 */
export function builtinFeatures(response: string): Record<(typeof BUILTIN_FEATURES)[number], RecordValue> {
  return {
    length_chars: response.length,
    length_tokens: countTokens(response),
    line_count: countLines(response),
    has_boxed: response.includes("\\boxed{"),
    has_code_fence: response.includes("```"),
    has_bullets: BULLET.test(response),
    has_final_answer: FINAL.test(response),
  };
}

/** All features of a record: built-in ones (when it has a response) and the user's. */
export function recordFeatures(record: RolloutRecord): Record<string, RecordValue> {
  const builtin = record.response === undefined ? {} : builtinFeatures(record.response);
  return record.features === undefined ? builtin : { ...builtin, ...record.features };
}
