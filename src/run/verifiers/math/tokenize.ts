/**
 * Splits a normalized answer into tokens: numbers, single-letter variables, known functions
 * and constants, LaTeX commands, operators and brackets. Rejects (returns an error string)
 * unknown characters, unknown commands, over-long numbers and too many tokens.
 */
import { MATH_LIMITS } from "./limits.js";

/** One token. */
export interface Token {
  kind: "num" | "var" | "fn" | "const" | "cmd" | "op" | "open" | "close" | "bar";
  text: string;
}

const FUNCTIONS = new Set(["sin", "cos", "tan", "ln", "log", "exp", "sqrt", "frac"]);
const CONSTANTS = new Set(["pi", "infty", "inf"]);
const COMMANDS = new Set(["cup", "pm", "mp", "in"]);
const GREEK = new Set([
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "varepsilon",
  "zeta",
  "eta",
  "theta",
  "vartheta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "rho",
  "sigma",
  "tau",
  "upsilon",
  "phi",
  "varphi",
  "chi",
  "psi",
  "omega",
  "Gamma",
  "Delta",
  "Theta",
  "Lambda",
  "Xi",
  "Sigma",
  "Phi",
  "Psi",
  "Omega",
]);
const LETTER_WORDS = ["sqrt", "infty", "sin", "cos", "tan", "exp", "log", "inf", "ln", "pi"];

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
}

function letterRun(text: string, tokens: Token[]): void {
  let i = 0;
  while (i < text.length) {
    const word = LETTER_WORDS.find((w) => text.startsWith(w, i));
    if (word !== undefined) {
      const name = word === "inf" ? "infty" : word;
      tokens.push({ kind: CONSTANTS.has(name) ? "const" : "fn", text: name });
      i += word.length;
    } else {
      tokens.push({ kind: "var", text: text[i] });
      i += 1;
    }
  }
}

/**
 * Tokens of `text`, or an error message.
 * @example tokenize("2x+\\frac{1}{2}") // [num 2, var x, op +, fn frac, open {, num 1, close }, ...]
 */
export function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (tokens.length > MATH_LIMITS.tokens) return "answer has too many tokens";
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n") {
      i += 1;
    } else if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      let j = i;
      while (j < text.length && isDigit(text[j])) j += 1;
      if (text[j] === "." && isDigit(text[j + 1] ?? "")) {
        j += 1;
        while (j < text.length && isDigit(text[j])) j += 1;
      }
      // scientific notation: 1e5, 2.5E-3 (an exponent of at most 3 digits)
      const sign = text[j + 1] === "+" || text[j + 1] === "-" ? 1 : 0;
      if ((text[j] === "e" || text[j] === "E") && isDigit(text[j + 1 + sign] ?? "")) {
        let k = j + 1 + sign;
        while (k < text.length && isDigit(text[k])) k += 1;
        if (k - (j + 1 + sign) <= 3) j = k;
      }
      if (j - i > MATH_LIMITS.digits) return "number literal is too long";
      tokens.push({ kind: "num", text: text.slice(i, j) });
      i = j;
    } else if (isLetter(c)) {
      let j = i;
      while (j < text.length && isLetter(text[j])) j += 1;
      letterRun(text.slice(i, j), tokens);
      i = j;
    } else if (c === "\\") {
      const next = text[i + 1] ?? "";
      if (next === "{" || next === "}") {
        tokens.push({ kind: next === "{" ? "open" : "close", text: `\\${next}` });
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < text.length && isLetter(text[j])) j += 1;
      const name = text.slice(i + 1, j);
      if (FUNCTIONS.has(name)) tokens.push({ kind: "fn", text: name });
      else if (CONSTANTS.has(name)) tokens.push({ kind: "const", text: name === "inf" ? "infty" : name });
      else if (COMMANDS.has(name)) tokens.push({ kind: "cmd", text: name });
      else if (GREEK.has(name)) tokens.push({ kind: "var", text: name });
      else return `unknown command \\${name || next}`;
      i = j;
    } else if ("+-*/^_!%=,".includes(c)) {
      tokens.push({ kind: "op", text: c });
      i += 1;
    } else if ("([{".includes(c)) {
      tokens.push({ kind: "open", text: c });
      i += 1;
    } else if (")]}".includes(c)) {
      tokens.push({ kind: "close", text: c });
      i += 1;
    } else if (c === "|") {
      tokens.push({ kind: "bar", text: c });
      i += 1;
    } else {
      return `unexpected character '${c}'`;
    }
  }
  return tokens;
}
