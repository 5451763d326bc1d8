/**
 * Evaluates expressions two ways: exactly, as BigInt rationals (integers, decimals, fractions,
 * integer powers, perfect-square roots), with every intermediate capped in bits; and as floats
 * at a point (any expression with variables, roots, constants, functions). Both return null
 * rather than doing unbounded work.
 */
import { MATH_LIMITS } from "./limits.js";
import type { Expr } from "./parse.js";

/** An exact rational n/d with d > 0, in lowest terms. */
export interface Rational {
  n: bigint;
  d: bigint;
}

function bits(x: bigint): number {
  const v = x < 0n ? -x : x;
  return v === 0n ? 0 : v.toString(16).length * 4;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function make(n: bigint, d: bigint): Rational | null {
  if (d === 0n) return null;
  if (bits(n) > MATH_LIMITS.bits || bits(d) > MATH_LIMITS.bits) return null;
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

function literal(text: string): Rational | null {
  const [mantissa, exponentText] = text.split(/[eE]/);
  const dot = mantissa.indexOf(".");
  const decimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const shift = (exponentText === undefined ? 0 : Number(exponentText)) - decimals;
  const n = BigInt(digits);
  return shift >= 0 ? make(n * 10n ** BigInt(shift), 1n) : make(n, 10n ** BigInt(-shift));
}

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  // Newton's iteration from above: converges in O(log bits) steps.
  let x = 1n << BigInt(Math.ceil(bits(v) / 2) + 1);
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function exactSqrt(r: Rational): Rational | null {
  if (r.n < 0n) return null;
  const a = isqrt(r.n);
  const b = isqrt(r.d);
  return a * a === r.n && b * b === r.d ? { n: a, d: b } : null;
}

function exactPow(base: Rational, exponent: Rational): Rational | null {
  if (exponent.d !== 1n) return null;
  const e = exponent.n < 0n ? -exponent.n : exponent.n;
  const size = Math.max(bits(base.n), bits(base.d), 1);
  if (e > 100000n || size * Number(e) > MATH_LIMITS.bits) return null;
  const n = base.n ** e;
  const d = base.d ** e;
  return exponent.n < 0n ? make(d, n) : make(n, d);
}

/**
 * The exact value of `e` when it is a rational computable within the bit cap, else null.
 * @example exactValue(parse("\\frac{6}{4}")) // { n: 3n, d: 2n }
 */
export function exactValue(e: Expr): Rational | null {
  switch (e.k) {
    case "num":
      return literal(e.text);
    case "neg": {
      const a = exactValue(e.a);
      return a === null ? null : { n: -a.n, d: a.d };
    }
    case "add":
    case "sub":
    case "mul":
    case "div": {
      const a = exactValue(e.a);
      if (a === null) return null;
      const b = exactValue(e.b);
      if (b === null) return null;
      if (e.k === "add") return make(a.n * b.d + b.n * a.d, a.d * b.d);
      if (e.k === "sub") return make(a.n * b.d - b.n * a.d, a.d * b.d);
      if (e.k === "mul") return make(a.n * b.n, a.d * b.d);
      return make(a.n * b.d, a.d * b.n);
    }
    case "pow": {
      const a = exactValue(e.a);
      if (a === null) return null;
      const b = exactValue(e.b);
      return b === null ? null : exactPow(a, b);
    }
    case "fn": {
      if (e.name !== "sqrt" && e.name !== "abs") return null;
      const a = exactValue(e.a);
      if (a === null) return null;
      return e.name === "abs" ? { n: a.n < 0n ? -a.n : a.n, d: a.d } : exactSqrt(a);
    }
    case "fact": {
      const a = exactValue(e.a);
      if (a === null || a.d !== 1n || a.n < 0n || a.n > 500n) return null;
      let p = 1n;
      for (let k = 2n; k <= a.n; k += 1n) p *= k;
      return make(p, 1n);
    }
    default:
      return null;
  }
}

const FUNCTIONS: Record<string, (x: number) => number> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  ln: Math.log,
  log: Math.log,
  exp: Math.exp,
};

/**
 * The floating-point value of `e` with variables taken from `point` (NaN when undefined).
 * @example floatValue(parse("2x"), { x: 1.5 }) // 3
 */
export function floatValue(e: Expr, point: Record<string, number>): number {
  switch (e.k) {
    case "num":
      return Number(e.text);
    case "var":
      return point[e.name] ?? Number.NaN;
    case "const":
      return e.name === "pi" ? Math.PI : e.name === "e" ? Math.E : Number.POSITIVE_INFINITY;
    case "neg":
      return -floatValue(e.a, point);
    case "add":
      return floatValue(e.a, point) + floatValue(e.b, point);
    case "sub":
      return floatValue(e.a, point) - floatValue(e.b, point);
    case "mul":
      return floatValue(e.a, point) * floatValue(e.b, point);
    case "div":
      return floatValue(e.a, point) / floatValue(e.b, point);
    case "pow":
      return floatValue(e.a, point) ** floatValue(e.b, point);
    case "fn":
      return (FUNCTIONS[e.name] ?? (() => Number.NaN))(floatValue(e.a, point));
    case "root": {
      const n = floatValue(e.n, point);
      const a = floatValue(e.a, point);
      return a < 0 && Number.isInteger(n) && n % 2 === 1 ? -((-a) ** (1 / n)) : a ** (1 / n);
    }
    case "fact": {
      const a = floatValue(e.a, point);
      if (!Number.isInteger(a) || a < 0) return Number.NaN;
      if (a > 170) return Number.POSITIVE_INFINITY;
      let p = 1;
      for (let k = 2; k <= a; k += 1) p *= k;
      return p;
    }
  }
}

/** The variables of `e`, added to `into`. */
export function variables(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case "var":
      into.add(e.name);
      break;
    case "neg":
    case "fn":
    case "fact":
      variables(e.a, into);
      break;
    case "root":
      variables(e.n, into);
      variables(e.a, into);
      break;
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
      variables(e.a, into);
      variables(e.b, into);
      break;
    default:
      break;
  }
  return into;
}

/** True when `e` mentions infinity. */
export function mentionsInfinity(e: Expr): boolean {
  switch (e.k) {
    case "const":
      return e.name === "infty";
    case "neg":
    case "fn":
    case "fact":
      return mentionsInfinity(e.a);
    case "root":
      return mentionsInfinity(e.n) || mentionsInfinity(e.a);
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
      return mentionsInfinity(e.a) || mentionsInfinity(e.b);
    default:
      return false;
  }
}
