/**
 * Surface forms of a numeric answer: sixteen ways of writing the same value ("12", "12.0",
 * "twelve", "= 12", "XII", ...), a parser that reads any of them back, and padding tokens that
 * change a response's length without changing its answer. The lab's answer classes are values;
 * a form and a padding length are surface features inside a class.
 */

const ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** English words for 0..99 ("twenty-one"). */
export function numberWords(value: number): string {
  if (value < 20) return ONES[value];
  const ten = TENS[Math.floor(value / 10)];
  return value % 10 === 0 ? ten : `${ten}-${ONES[value % 10]}`;
}

const ROMAN: [number, string][] = [
  [90, "XC"],
  [50, "L"],
  [40, "XL"],
  [10, "X"],
  [9, "IX"],
  [5, "V"],
  [4, "IV"],
  [1, "I"],
];

/** Roman numerals for 1..99, and "N" (nulla) for zero. */
export function roman(value: number): string {
  if (value === 0) return "N";
  let rest = value;
  let out = "";
  for (const [v, s] of ROMAN) {
    while (rest >= v) {
      out += s;
      rest -= v;
    }
  }
  return out;
}

/** The sixteen surface forms, in order; the first M are the acceptable forms of an M-form task. */
export const FORMS: readonly ((value: number) => string)[] = [
  (v) => `${v}`,
  (v) => `${v}.0`,
  (v) => numberWords(v),
  (v) => `= ${v}`,
  (v) => `answer: ${v}`,
  (v) => `(${v})`,
  (v) => `+${v}`,
  (v) => roman(v),
  (v) => `0x${v.toString(16)}`,
  (v) => `${v}/1`,
  (v) => `${v}e0`,
  (v) => `${v}.00`,
  (v) => `#${v}`,
  (v) => `[${v}]`,
  (v) => numberWords(v).toUpperCase(),
  (v) => `0b${v.toString(2)}`,
];

/** The largest number of acceptable forms a task may use. */
export const MAX_FORMS = FORMS.length;

/** The padding token appended (with a space) to lengthen a response. */
export const PAD = "_";

/** Renders value `value` in form `form` followed by `pad` padding tokens. */
export function render(value: number, form: number, pad: number): string {
  return FORMS[form](value) + ` ${PAD}`.repeat(pad);
}

const WORDS = new Map<string, number>(Array.from({ length: 100 }, (_, v) => [numberWords(v), v]));
const ROMANS = new Map<string, number>(Array.from({ length: 100 }, (_, v) => [roman(v), v]));

const PARSERS: [RegExp, (m: RegExpMatchArray) => number][] = [
  [/^(\d+)(?:\.0|\.00|\/1|e0)?$/, (m) => Number(m[1])],
  [/^(?:= |answer: |\+|#)(\d+)$/, (m) => Number(m[1])],
  [/^\((\d+)\)$|^\[(\d+)\]$/, (m) => Number(m[1] ?? m[2])],
  [/^0x([0-9a-f]+)$/, (m) => Number.parseInt(m[1], 16)],
  [/^0b([01]+)$/, (m) => Number.parseInt(m[1], 2)],
];

/**
 * Reads the answer of a response in any surface form, ignoring trailing padding; null when the
 * response is not a well-formed answer.
 * @example parseAnswer("twelve _ _") // 12
 */
export function parseAnswer(response: string): number | null {
  const surface = response.replace(new RegExp(`(?: ${PAD})+$`), "");
  for (const [pattern, read] of PARSERS) {
    const m = surface.match(pattern);
    if (m) return read(m);
  }
  const word = WORDS.get(surface.toLowerCase());
  if (word !== undefined && (surface === surface.toLowerCase() || surface === surface.toUpperCase()))
    return word;
  return ROMANS.get(surface) ?? null;
}

/** Number of padding tokens at the end of a response (its length feature). */
export function padCount(response: string): number {
  const m = response.match(new RegExp(`(?: ${PAD})+$`));
  return m ? m[0].length / 2 : 0;
}
