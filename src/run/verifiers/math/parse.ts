/**
 * A bounded recursive-descent parser from tokens to an answer value: an expression (with
 * + - * / ^, implicit multiplication, \frac, \sqrt, functions, constants, variables), a tuple or
 * interval (its brackets kept, so open and closed ends differ), a set, an interval union, an
 * equation, or a `\pm` pair. Depth and item counts are capped; errors come back as strings.
 */
import { MATH_LIMITS } from "./limits.js";
import type { Token } from "./tokenize.js";

/** An arithmetic expression. */
export type Expr =
  | { k: "num"; text: string }
  | { k: "var"; name: string }
  | { k: "const"; name: string }
  | { k: "neg"; a: Expr }
  | { k: "add" | "sub" | "mul" | "div" | "pow"; a: Expr; b: Expr }
  | { k: "fn"; name: string; a: Expr }
  | { k: "root"; n: Expr; a: Expr }
  | { k: "fact"; a: Expr };

/** A parsed answer. */
export type MathValue =
  | { k: "expr"; e: Expr; percent: boolean }
  | { k: "seq"; open: string; close: string; items: MathValue[] }
  | { k: "set"; items: MathValue[] }
  | { k: "eq"; lhs: Expr; rhs: Expr };

class ParseError extends Error {}

const OPENERS = new Set(["(", "[", "{", "\\{"]);
const CLOSERS = new Set([")", "]", "}", "\\}"]);

/** Splits `tokens` at top-level tokens for which `is` holds. */
function splitTop(tokens: Token[], is: (t: Token) => boolean): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  let bars = 0;
  for (const t of tokens) {
    if (t.kind === "open") depth += 1;
    else if (t.kind === "close") depth -= 1;
    else if (t.kind === "bar") bars ^= 1;
    if (depth === 0 && bars === 0 && is(t)) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts;
}

/** Index of the token closing the bracket opened at `start` (any bracket kind), or -1. */
function matching(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i += 1) {
    if (tokens[i].kind === "open") depth += 1;
    else if (tokens[i].kind === "close") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function checkDepth(tokens: Token[]): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "open") depth += 1;
    else if (t.kind === "close") depth -= 1;
    if (depth > MATH_LIMITS.depth) throw new ParseError("answer is nested too deeply");
    if (depth < 0) throw new ParseError("unbalanced brackets");
  }
  if (depth !== 0) throw new ParseError("unbalanced brackets");
}

class ExprParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expr {
    if (this.tokens.length === 0) throw new ParseError("empty expression");
    const e = this.expr();
    if (this.i < this.tokens.length) throw new ParseError(`unexpected '${this.tokens[this.i].text}'`);
    return e;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === "op" && t.text === text;
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > MATH_LIMITS.depth * 2) throw new ParseError("answer is nested too deeply");
  }

  private expr(): Expr {
    this.enter();
    let e = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.tokens[this.i].text;
      this.i += 1;
      const b = this.term();
      e = { k: op === "+" ? "add" : "sub", a: e, b };
    }
    this.depth -= 1;
    return e;
  }

  private startsPrimary(t: Token | undefined): boolean {
    if (t === undefined) return false;
    if (t.kind === "open") return t.text !== "\\{";
    return t.kind === "num" || t.kind === "var" || t.kind === "const" || t.kind === "fn";
  }

  private term(): Expr {
    let e = this.unary();
    for (;;) {
      if (this.isOp("*") || this.isOp("/")) {
        const op = this.tokens[this.i].text;
        this.i += 1;
        const b = this.unary();
        e = { k: op === "*" ? "mul" : "div", a: e, b };
      } else if (this.startsPrimary(this.peek())) {
        const whole = this.mixedWhole(e);
        e = whole !== null ? mixedNumber(whole, this.power()) : { k: "mul", a: e, b: this.power() };
      } else {
        return e;
      }
    }
  }

  /**
   * The integer of a mixed number: `e` is an integer literal (or its negation) and the next
   * tokens are `\frac{integer}{integer}`, as in 3\frac{1}{2} = 3.5.
   */
  private mixedWhole(e: Expr): { negative: boolean; whole: Expr } | null {
    const inner = e.k === "neg" ? e.a : e;
    if (inner.k !== "num" || /[.eE]/.test(inner.text)) return null;
    const t = this.tokens;
    const i = this.i;
    const integerGroup = (at: number) =>
      t[at]?.text === "{" &&
      t[at + 1]?.kind === "num" &&
      /^\d+$/.test(t[at + 1].text) &&
      t[at + 2]?.text === "}";
    if (t[i]?.kind !== "fn" || t[i].text !== "frac" || !integerGroup(i + 1) || !integerGroup(i + 4))
      return null;
    return { negative: e.k === "neg", whole: inner };
  }

  private unary(): Expr {
    if (this.isOp("-")) {
      this.i += 1;
      this.enter();
      const a = this.unary();
      this.depth -= 1;
      return { k: "neg", a };
    }
    if (this.isOp("+")) {
      this.i += 1;
      return this.unary();
    }
    return this.power();
  }

  private power(): Expr {
    let base = this.postfix();
    if (this.isOp("_")) {
      // a subscript names a variable: x_1, a_{n}
      this.i += 1;
      const sub = this.primary();
      if (base.k !== "var") throw new ParseError("subscript on a non-variable");
      base = { k: "var", name: `${base.name}_${JSON.stringify(sub)}` };
    }
    if (this.isOp("^")) {
      this.i += 1;
      this.enter();
      const exponent = this.unary();
      this.depth -= 1;
      return { k: "pow", a: base, b: exponent };
    }
    return base;
  }

  private postfix(): Expr {
    let e = this.primary();
    while (this.isOp("!")) {
      this.i += 1;
      e = { k: "fact", a: e };
    }
    return e;
  }

  private group(): Expr {
    const t = this.peek();
    if (t === undefined || t.kind !== "open") throw new ParseError("expected a group");
    const end = matching(this.tokens, this.i);
    if (end < 0) throw new ParseError("unbalanced brackets");
    const inner = new ExprParser(this.tokens.slice(this.i + 1, end));
    inner.depth = this.depth + 1;
    this.i = end + 1;
    return inner.parseAll();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t === undefined) throw new ParseError("expression ends too early");
    switch (t.kind) {
      case "num":
        this.i += 1;
        return { k: "num", text: t.text };
      case "var":
        this.i += 1;
        return t.text === "e" ? { k: "const", name: "e" } : { k: "var", name: t.text };
      case "const":
        this.i += 1;
        return { k: "const", name: t.text };
      case "open":
        if (t.text === "\\{") throw new ParseError("a set inside an expression");
        return this.group();
      case "bar": {
        const close = this.tokens.findIndex((u, j) => j > this.i && u.kind === "bar");
        if (close < 0) throw new ParseError("unclosed |");
        const inner = new ExprParser(this.tokens.slice(this.i + 1, close));
        inner.depth = this.depth + 1;
        this.i = close + 1;
        return { k: "fn", name: "abs", a: inner.parseAll() };
      }
      case "fn":
        return this.call(t.text);
      default:
        throw new ParseError(`unexpected '${t.text}'`);
    }
  }

  private call(name: string): Expr {
    this.i += 1;
    this.enter();
    let result: Expr;
    if (name === "frac") {
      const a = this.group();
      const b = this.group();
      result = { k: "div", a, b };
    } else if (name === "sqrt") {
      if (this.peek()?.text === "[") {
        const end = matching(this.tokens, this.i);
        if (end < 0) throw new ParseError("unbalanced brackets");
        const n = new ExprParser(this.tokens.slice(this.i + 1, end)).parseAll();
        this.i = end + 1;
        result = { k: "root", n, a: this.argument() };
      } else {
        result = { k: "fn", name: "sqrt", a: this.argument() };
      }
    } else {
      result = { k: "fn", name, a: this.argument() };
    }
    this.depth -= 1;
    return result;
  }

  /** A function argument: a braced/bracketed group, or the next power (`\sin x`, `\sqrt 2`). */
  private argument(): Expr {
    const t = this.peek();
    if (t?.kind === "open") return this.group();
    return this.power();
  }
}

/** whole + fraction, or -(whole + fraction) for a negative mixed number. */
function mixedNumber(mixed: { negative: boolean; whole: Expr }, fraction: Expr): Expr {
  const sum: Expr = { k: "add", a: mixed.whole, b: fraction };
  return mixed.negative ? { k: "neg", a: sum } : sum;
}

/** Parses an expression (no commas, sets or relations) from tokens; throws ParseError. */
function parseExpr(tokens: Token[]): Expr {
  return new ExprParser(tokens).parseAll();
}

function parseValueTokens(tokens: Token[], depth: number): MathValue {
  if (depth > 8) throw new ParseError("answer is nested too deeply");
  if (tokens.length === 0) throw new ParseError("empty answer");
  const unions = splitTop(tokens, (t) => t.kind === "cmd" && t.text === "cup");
  if (unions.length > 1) {
    if (unions.length > MATH_LIMITS.items) throw new ParseError("too many items");
    return { k: "set", items: unions.map((part) => parseValueTokens(part, depth + 1)) };
  }
  const relation = splitTop(
    tokens,
    (t) => (t.kind === "op" && t.text === "=") || (t.kind === "cmd" && t.text === "in"),
  );
  if (relation.length === 2) {
    const [lhs, rhs] = relation;
    if (lhs.length === 1 && lhs[0].kind === "var") return parseValueTokens(rhs, depth + 1);
    return { k: "eq", lhs: parseExpr(lhs), rhs: parseExpr(rhs) };
  }
  if (relation.length > 2) {
    // x = y = 3: the last side is the answer
    return parseValueTokens(relation[relation.length - 1], depth + 1);
  }
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first.kind === "open" && last.kind === "close" && matching(tokens, 0) === tokens.length - 1) {
    const inner = tokens.slice(1, -1);
    const items = splitTop(inner, (t) => t.kind === "op" && t.text === ",");
    if (first.text === "\\{" || (first.text === "{" && items.length > 1)) {
      if (items.length > MATH_LIMITS.items) throw new ParseError("too many items");
      return { k: "set", items: items.map((part) => parseValueTokens(part, depth + 1)) };
    }
    if (items.length > 1 && OPENERS.has(first.text) && CLOSERS.has(last.text)) {
      if (items.length > MATH_LIMITS.items) throw new ParseError("too many items");
      return {
        k: "seq",
        open: first.text,
        close: last.text,
        items: items.map((p) => parseValueTokens(p, depth + 1)),
      };
    }
  }
  const commas = splitTop(tokens, (t) => t.kind === "op" && t.text === ",");
  if (commas.length > 1) {
    if (commas.length > MATH_LIMITS.items) throw new ParseError("too many items");
    return { k: "set", items: commas.map((part) => parseValueTokens(part, depth + 1)) };
  }
  const pm = splitTop(tokens, (t) => t.kind === "cmd" && (t.text === "pm" || t.text === "mp"));
  if (pm.length === 2) {
    const a = pm[0].length === 0 ? ({ k: "num", text: "0" } as Expr) : parseExpr(pm[0]);
    const b = parseExpr(pm[1]);
    return {
      k: "set",
      items: [
        { k: "expr", e: { k: "add", a, b }, percent: false },
        { k: "expr", e: { k: "sub", a, b }, percent: false },
      ],
    };
  }
  let body = tokens;
  let percent = false;
  if (last.kind === "op" && last.text === "%") {
    percent = true;
    body = tokens.slice(0, -1);
  }
  return { k: "expr", e: parseExpr(body), percent };
}

/** Drops trailing unit words (variables after a purely numeric prefix). */
export function stripUnitTokens(tokens: Token[]): Token[] {
  const firstVar = tokens.findIndex((t) => t.kind === "var");
  if (firstVar <= 0) return tokens;
  const prefix = tokens.slice(0, firstVar);
  if (!prefix.some((t) => t.kind === "num")) return tokens;
  const rest = tokens.slice(firstVar);
  const unitLike = rest.every(
    (t) => t.kind === "var" || t.kind === "num" || (t.kind === "op" && "/^*".includes(t.text)),
  );
  if (!unitLike) return tokens;
  let end = prefix.length;
  while (end > 0 && prefix[end - 1].kind === "op" && "*/^".includes(prefix[end - 1].text)) end -= 1;
  return prefix.slice(0, end);
}

/**
 * Parses tokens into an answer value, or returns an error message.
 * @example parseValue(tokenize("[1, 2)")) // { k: "seq", open: "[", close: ")", items: [...] }
 */
export function parseValue(tokens: Token[]): MathValue | string {
  try {
    checkDepth(tokens);
    return parseValueTokens(tokens, 0);
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    if (error instanceof RangeError) return "answer is nested too deeply";
    throw error;
  }
}
