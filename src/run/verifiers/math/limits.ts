/**
 * The bounds that keep every math check cheap: no input, however long or nested, makes the
 * checker hang or allocate without limit. Exceeding one makes an answer unparseable, never slow.
 */
export const MATH_LIMITS = {
  /** Characters of an extracted answer that are parsed (longer answers are not compared). */
  answerChars: 1000,
  /** Tokens of one answer. */
  tokens: 600,
  /** Nesting of brackets, braces and sub-expressions. */
  depth: 48,
  /** Digits of one number literal. */
  digits: 400,
  /** Items of one set, tuple or interval union. */
  items: 64,
  /** Bits of any exact intermediate (numerator or denominator). */
  bits: 8192,
  /** Distinct variables of an expression compared by evaluation. */
  variables: 8,
} as const;
