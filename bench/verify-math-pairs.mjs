/**
 * The mixed set of (gold, pred) pairs the math benchmark checks: integers with separators,
 * decimals, fractions, LaTeX fractions, percentages, expressions, tuples, intervals, sets, units
 * and wrong answers, each wrapped in a short response. Seeded: same seed, same pairs.
 */
import { createRng } from "../dist/info/index.js";

/** `n` pairs from `seed`. */
export function mathPairs(n, seed = 2026) {
  const rng = createRng(seed);
  const int = (lo, hi) => lo + rng.int(hi - lo + 1);
  const wrap = (answer) => {
    const k = rng.int(4);
    if (k === 0)
      return `Let us compute step by step. We get ${int(2, 99)} first, so the final answer is \\boxed{${answer}}.`;
    if (k === 1) return `Reasoning... Therefore the answer is: ${answer}`;
    if (k === 2) return `$${answer}$`;
    return `Final Answer: The final answer is $${answer}$. I hope it is correct.`;
  };
  const kinds = [
    () => {
      const v = int(1000, 9_999_999);
      return [String(v), v.toLocaleString("en-US")];
    },
    () => {
      const a = int(1, 50);
      const b = int(2, 60);
      return [`\\frac{${a}}{${b}}`, `\\dfrac{${2 * a}}{${2 * b}}`];
    },
    () => {
      const a = int(1, 9);
      return [`${a / 4}`, `\\frac{${a}}{4}`];
    },
    () => {
      const p = int(1, 99);
      return [`${p}\\%`, `${p / 100}`];
    },
    () => {
      const a = int(1, 9);
      const b = int(1, 9);
      return [`x^2+${a + b}x+${a * b}`, `(x+${a})(x+${b})`];
    },
    () => {
      const a = int(-9, 0);
      const b = int(1, 9);
      const open = rng.next() < 0.5 ? "(" : "[";
      const close = rng.next() < 0.5 ? ")" : "]";
      const flip = rng.next() < 0.3 ? (close === ")" ? "]" : ")") : close;
      return [`${open}${a}, ${b}${close}`, `${open}${a},${b}${flip}`];
    },
    () => {
      const xs = [int(1, 20), int(21, 40), int(41, 60)];
      return [`\\{${xs.join(", ")}\\}`, `\\{${[...xs].reverse().join(",")}\\}`];
    },
    () => {
      const a = int(2, 50);
      return [`${a}\\sqrt{2}`, `\\sqrt{${2 * a * a}}`];
    },
    () => {
      const a = int(1, 999);
      return [String(a), String(a + int(1, 3))];
    },
    () => {
      const a = int(1, 9);
      const b = int(1, 9);
      return [`(${a}, ${b})`, `(${a},${b})`];
    },
    () => {
      const a = int(-99, -1);
      return [String(a), `${a}.0`];
    },
    () => {
      const a = int(1, 9);
      return [`\\frac{${a}\\pi}{3}`, `${a}\\pi/3`];
    },
  ];
  const pairs = [];
  for (let i = 0; i < n; i += 1) {
    const [gold, answer] = kinds[rng.int(kinds.length)]();
    pairs.push({ gold, pred: wrap(answer) });
  }
  return pairs;
}
