/**
 * Decides whether two parsed answers are the same: numbers exactly (rationals), expressions by
 * evaluation at fixed points (floats, relative tolerance 1e-9), tuples and intervals element by
 * element with the same brackets, sets and unions without order, equations up to sign,
 * percentages both as written and divided by 100. Also gives each answer a canonical string.
 */

import { exactValue, floatValue, mentionsInfinity, type Rational, variables } from "./evaluate.js";
import { MATH_LIMITS } from "./limits.js";
import type { Expr, MathValue } from "./parse.js";

const TOLERANCE = 1e-9;
// Fixed evaluation points: arbitrary decimals, away from 0, 1, small integers and constants such
// as e or pi, where distinct expressions can agree.
const POINTS = [0.5772156649, 1.2902031877, 2.0794415417, -0.7548776662, 3.1722238513];

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function sameRational(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

/** Whether two expressions are equal as numbers or as functions of their variables. */
export function sameExpr(a: Expr, b: Expr): boolean {
  const ea = exactValue(a);
  if (ea !== null) {
    const eb = exactValue(b);
    if (eb !== null) return sameRational(ea, eb);
  }
  const names = [...variables(a, variables(b))];
  if (names.length > MATH_LIMITS.variables) return false;
  const infinite = mentionsInfinity(a) || mentionsInfinity(b);
  const rounds = names.length === 0 ? 1 : POINTS.length;
  let compared = 0;
  for (let r = 0; r < rounds; r += 1) {
    const point: Record<string, number> = {};
    names.forEach((name, j) => {
      point[name] = POINTS[(r + j * 2) % POINTS.length] + j * 0.1234;
    });
    const fa = floatValue(a, point);
    const fb = floatValue(b, point);
    if (Number.isNaN(fa) && Number.isNaN(fb)) continue;
    if (!Number.isFinite(fa) || !Number.isFinite(fb)) {
      // infinity compares only when an answer says infinity, never after an overflow
      if (infinite && fa === fb) {
        compared += 1;
        continue;
      }
      return false;
    }
    if (!close(fa, fb)) return false;
    compared += 1;
  }
  return compared > 0;
}

const divideBy100 = (e: Expr): Expr => ({ k: "div", a: e, b: { k: "num", text: "100" } });

/** Comparisons left for one check; nested sets cannot multiply work past it. */
interface Budget {
  left: number;
}

function sameItems(a: MathValue[], b: MathValue[], budget: Budget): boolean {
  // every item of each side has an equal item on the other side (order and repeats ignored)
  return (
    a.every((x) => b.some((y) => same(x, y, budget))) && b.every((y) => a.some((x) => same(x, y, budget)))
  );
}

/**
 * Whether two answer values are equivalent.
 * @example sameValue(parse("[1, 2)"), parse("[1, 2]")) // false: the right end differs
 */
export function sameValue(a: MathValue, b: MathValue): boolean {
  return same(a, b, { left: 20_000 });
}

function same(a: MathValue, b: MathValue, budget: Budget): boolean {
  budget.left -= 1;
  if (budget.left < 0) return false;
  if (a.k === "expr" && b.k === "expr") {
    if (sameExpr(a.e, b.e)) return true;
    if (a.percent && sameExpr(divideBy100(a.e), b.e)) return true;
    if (b.percent && sameExpr(a.e, divideBy100(b.e))) return true;
    return false;
  }
  if (a.k === "seq" && b.k === "seq") {
    return (
      a.open === b.open &&
      a.close === b.close &&
      a.items.length === b.items.length &&
      a.items.every((x, i) => same(x, b.items[i], budget))
    );
  }
  if (a.k === "set" && b.k === "set") return sameItems(a.items, b.items, budget);
  if (a.k === "set" && a.items.length === 1) return same(a.items[0], b, budget);
  if (b.k === "set" && b.items.length === 1) return same(a, b.items[0], budget);
  if (a.k === "eq" && b.k === "eq") {
    const da: Expr = { k: "sub", a: a.lhs, b: a.rhs };
    const db: Expr = { k: "sub", a: b.lhs, b: b.rhs };
    return sameExpr(da, db) || sameExpr(da, { k: "neg", a: db });
  }
  return false;
}

function rationalText(r: Rational): string {
  return r.d === 1n ? r.n.toString() : `${r.n}/${r.d}`;
}

function exprText(e: Expr): string {
  switch (e.k) {
    case "num":
      return e.text;
    case "var":
      return e.name;
    case "const":
      return e.name;
    case "neg":
      return `-(${exprText(e.a)})`;
    case "fn":
      return `${e.name}(${exprText(e.a)})`;
    case "root":
      return `root(${exprText(e.n)},${exprText(e.a)})`;
    case "fact":
      return `(${exprText(e.a)})!`;
    default: {
      const op = { add: "+", sub: "-", mul: "*", div: "/", pow: "^" }[e.k];
      return `(${exprText(e.a)}${op}${exprText(e.b)})`;
    }
  }
}

/**
 * A canonical string for an answer: exact rationals in lowest terms, sets sorted; equivalent
 * numeric answers share it (0.5, 1/2, \frac{2}{4} all give "1/2").
 */
export function canonical(value: MathValue): string {
  switch (value.k) {
    case "expr": {
      const exact = exactValue(value.e);
      const text = exact === null ? exprText(value.e) : rationalText(exact);
      return value.percent ? `${text}%` : text;
    }
    case "seq":
      return `${value.open}${value.items.map(canonical).join(",")}${value.close}`;
    case "set":
      return `{${[...new Set(value.items.map(canonical))].sort().join(",")}}`;
    case "eq":
      return `${exprText(value.lhs)}=${exprText(value.rhs)}`;
  }
}
