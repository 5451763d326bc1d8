/**
 * Finds the final answer in a model response: the last `\boxed{...}`, the text after the last
 * "answer:", the last number, or (auto) the first of these that exists, with a short bare answer
 * taken as it is. Linear in the response length; never throws.
 */

/** How the final answer is located. */
export type ExtractMode = "boxed" | "answer" | "last-number" | "auto";

/** How many `\boxed` occurrences, from the last, are tried when the later ones do not close. */
const BOXED_CANDIDATES = 4;

/**
 * The content of the last `\boxed{...}` / `\fbox{...}` (balanced braces), or null. The brace
 * scan looks at most `maxChars + 1` characters ahead: a longer content is returned cut to that
 * length, so that it is rejected as too long rather than scanned to the end of a huge text; at
 * most 4 occurrences are tried. The work is therefore bounded whatever the text.
 */
export function extractBoxed(text: string, maxChars = 1000): string | null {
  let at = Math.max(text.lastIndexOf("\\boxed"), text.lastIndexOf("\\fbox"));
  for (let tries = 0; at >= 0 && tries < BOXED_CANDIDATES; tries += 1) {
    let i = at + (text.startsWith("\\boxed", at) ? 6 : 5);
    const spaces = i;
    while (text[i] === " " && i - spaces < 16) i += 1;
    if (text[i] === "{") {
      let depth = 0;
      const limit = Math.min(text.length, i + maxChars + 2);
      for (let j = i; j < limit; j += 1) {
        const c = text[j];
        if (c === "\\") {
          j += 1;
          continue;
        }
        if (c === "{") depth += 1;
        else if (c === "}") {
          depth -= 1;
          if (depth === 0) return text.slice(i + 1, j).trim();
        }
      }
      if (limit < text.length) return text.slice(i + 1, limit);
    } else {
      const rest = /^[^\s$]+/.exec(text.slice(i, i + 200));
      if (rest) return rest[0];
    }
    at = at === 0 ? -1 : Math.max(text.lastIndexOf("\\boxed", at - 1), text.lastIndexOf("\\fbox", at - 1));
  }
  return null;
}

/** The text after the last "answer:" / "answer is" up to the end of its sentence or line, or null. */
export function extractAfterAnswer(text: string): string | null {
  const pattern = /answer\s{0,3}(?:is\s{0,3}:?|:|：|=)[ \t]*/gi;
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) last = m;
  if (last === null) return null;
  const start = last.index + last[0].length;
  const end = text.indexOf("\n", start);
  let answer = text.slice(start, end < 0 ? text.length : end);
  const sentenceEnd = answer.search(/\.\s/);
  if (sentenceEnd >= 0) answer = answer.slice(0, sentenceEnd);
  answer = answer.trim();
  answer = answer.replace(/^\*+|\*+$/g, "").trim();
  answer = answer.replace(/[.。]\s*$/, "").trim();
  return answer === "" ? null : answer;
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function isNumberCharAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || c === 46 || c === 44 || c === 47; // digit . , /
}

/**
 * The last number in the text (with sign, decimals, thousands separators, a fraction), or null.
 * The backward scan stops after `maxChars` characters; a longer run is returned cut to
 * `maxChars + 1` characters so that it is rejected as too long rather than silently shortened.
 */
export function extractLastNumber(text: string, maxChars = 1000): string | null {
  let end = text.length - 1;
  while (end >= 0 && !isDigitAt(text, end)) end -= 1;
  if (end < 0) return null;
  let start = end;
  while (start > 0 && end - start <= maxChars && isNumberCharAt(text, start - 1)) start -= 1;
  while (start < end && !isDigitAt(text, start) && text[start] !== ".") start += 1;
  if (start > 0 && text[start - 1] === "-") start -= 1;
  return text.slice(start, end + 1);
}

const BARE_WORD = /[A-Za-z]{2,}/g;
const KNOWN_WORDS = new Set(["sin", "cos", "tan", "ln", "log", "exp", "sqrt", "pi", "inf", "infty"]);

/** True when the whole text looks like an answer rather than prose. */
function isBareAnswer(text: string): boolean {
  if (text.length > 200 || text.includes("\n")) return false;
  for (const m of text.matchAll(BARE_WORD)) {
    const preceded = m.index > 0 && text[m.index - 1] === "\\";
    if (!preceded && !KNOWN_WORDS.has(m[0].toLowerCase())) return false;
  }
  return true;
}

/**
 * The final answer of `text` according to `mode`, or null when there is none.
 * @example extractAnswer("so the total is \\boxed{\\frac{1}{2}}.", "auto") // "\\frac{1}{2}"
 */
export function extractAnswer(text: string, mode: ExtractMode = "auto"): string | null {
  switch (mode) {
    case "boxed":
      return extractBoxed(text);
    case "answer":
      return extractAfterAnswer(text);
    case "last-number":
      return extractLastNumber(text);
    case "auto": {
      const boxed = extractBoxed(text);
      if (boxed !== null) return boxed;
      const answer = extractAfterAnswer(text);
      if (answer !== null) return answer;
      const trimmed = text.trim();
      if (trimmed !== "" && isBareAnswer(trimmed)) return trimmed;
      return extractLastNumber(text);
    }
  }
}
