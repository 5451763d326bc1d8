/**
 * Rewrites a LaTeX or plain-text answer into a small canonical vocabulary the tokenizer reads:
 * display wrappers, spacing, sizing and font commands are dropped, `\dfrac` becomes `\frac`,
 * `\cdot` becomes `*`, degrees go away, Unicode math symbols become commands. Every pattern is
 * linear (no nested quantifiers), so the cost is proportional to the (capped) answer length.
 */

const REPLACEMENTS: [RegExp, string][] = [
  [/\\[dtc]frac/g, "\\frac"],
  [/\\frac\s*(\d)\s*(\d)/g, "\\frac{$1}{$2}"],
  [/\\(?:text|textbf|textrm|textit|mathrm|mathbf|mathit|mbox|operatorname)\s*\{([^{}]*)\}/g, " $1 "],
  [/\\(?:displaystyle|bigl|bigr|Bigl|Bigr|big|Big|left|right)(?![a-zA-Z])\.?/g, ""],
  [/\\[,!]/g, ""],
  [/\\(?:[;: ]|quad|qquad)/g, " "],
  [/~/g, " "],
  [/\{,\}/g, ","],
  [/\\\$|\$/g, ""],
  [/\\[()[\]]/g, ""],
  [/\^\s*\{?\s*\\circ\s*\}?|°|\\degree|\\circ/g, ""],
  [/\\(?:cdot|times)|[×·∙]/g, "*"],
  [/\\div|÷/g, "/"],
  [/[−–]/g, "-"],
  [/\\%/g, "%"],
  [/π/g, "\\pi "],
  [/√/g, "\\sqrt"],
  [/∞/g, "\\infty "],
  [/∪/g, "\\cup "],
  [/±/g, "\\pm "],
  [/\\dots|\\ldots|\\cdots/g, ""],
];

/**
 * The canonical spelling of an answer (still a string); not yet parsed.
 * @example normalizeAnswer("$\\dfrac{3}{4}\\,\\text{cm}$") // "\\frac{3}{4} cm" (then tokenized)
 */
export function normalizeAnswer(answer: string): string {
  let text = answer;
  for (const [pattern, replacement] of REPLACEMENTS) text = text.replace(pattern, replacement);
  text = text.trim();
  while (text.endsWith(".")) text = text.slice(0, -1).trimEnd();
  return text;
}
