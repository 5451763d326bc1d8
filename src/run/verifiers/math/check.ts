/**
 * One math check: extract the final answer from a response, normalize, tokenize and parse both
 * it and the gold answer, and compare. Bounded work; unparseable answers are "not equivalent"
 * with a reason, never an exception.
 */
import { canonical, sameValue } from "./equivalent.js";
import { type ExtractMode, extractAnswer, extractBoxed } from "./extract.js";
import { MATH_LIMITS } from "./limits.js";
import { normalizeAnswer } from "./normalize.js";
import { type MathValue, parseValue, stripUnitTokens } from "./parse.js";
import { tokenize } from "./tokenize.js";

/** Options of a math check. */
export interface MathCheckOptions {
  /** How the prediction's final answer is found (default auto). */
  extract?: ExtractMode;
  /** Drop unit words after numeric answers (default false). */
  stripUnits?: boolean;
}

/** The outcome of one math check. */
export interface MathCheck {
  equivalent: boolean;
  /** The answer found in the prediction (null when none). */
  predAnswer: string | null;
  /** The gold answer compared against. */
  goldAnswer: string;
  /** Canonical form of the prediction's answer (equivalent numbers share it). */
  class?: string;
  /** Why the answers are not equivalent, or what could not be parsed. */
  reason?: string;
}

/** Parses one answer string, or returns why it cannot be parsed. */
export function parseAnswer(answer: string, stripUnits = false): MathValue | string {
  if (answer.length > MATH_LIMITS.answerChars)
    return `answer is longer than ${MATH_LIMITS.answerChars} characters`;
  let text = normalizeAnswer(answer);
  // thousands separators: only when the whole answer is one such number
  if (/^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?$/.test(text)) text = text.replaceAll(",", "");
  const tokens = tokenize(text);
  if (typeof tokens === "string") return tokens;
  return parseValue(stripUnits ? stripUnitTokens(tokens) : tokens);
}

/**
 * Compares a prediction (a response or a bare answer) with a gold answer.
 * @example checkMath("\\frac{1}{2}", "so the answer is \\boxed{0.5}").equivalent // true
 */
export function checkMath(gold: string, prediction: string, options: MathCheckOptions = {}): MathCheck {
  const stripUnits = options.stripUnits ?? false;
  const goldAnswer =
    (gold.length > MATH_LIMITS.answerChars ? extractBoxed(gold) : null) ?? extractBoxed(gold) ?? gold;
  const predAnswer = extractAnswer(prediction, options.extract ?? "auto");
  if (predAnswer === null)
    return { equivalent: false, predAnswer, goldAnswer, reason: "no answer found in the prediction" };
  const goldValue = parseAnswer(goldAnswer, stripUnits);
  if (typeof goldValue === "string") {
    const same = normalizeAnswer(goldAnswer) === normalizeAnswer(predAnswer);
    return same
      ? { equivalent: true, predAnswer, goldAnswer, reason: "identical text (gold unparseable)" }
      : { equivalent: false, predAnswer, goldAnswer, reason: `gold answer unparseable: ${goldValue}` };
  }
  const predValue = parseAnswer(predAnswer, stripUnits);
  if (typeof predValue === "string") {
    return { equivalent: false, predAnswer, goldAnswer, reason: `prediction unparseable: ${predValue}` };
  }
  const cls = canonical(predValue);
  if (cls === canonical(goldValue) || sameValue(goldValue, predValue)) {
    return { equivalent: true, predAnswer, goldAnswer, class: cls };
  }
  return { equivalent: false, predAnswer, goldAnswer, class: cls, reason: "answers differ" };
}
