import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMath } from "../../../src/run/verifiers/math/check.js";
import { extractAnswer } from "../../../src/run/verifiers/math/extract.js";
import { verifyMath } from "../../../src/run/verifiers/math.js";
import { verifierConfigSchema } from "../../../src/spec/verifier-config.js";

describe("extractAnswer", () => {
  it.each([
    ["so \\boxed{\\frac{1}{2}} and", "auto", "\\frac{1}{2}"],
    ["first \\boxed{1} then \\boxed{{2}+1}", "boxed", "{2}+1"],
    ["\\boxed 7 is it", "boxed", "7"],
    ["The answer is: 42.", "answer", "42"],
    ["Final Answer: The final answer is $5$. I hope it is correct.", "auto", "$5$"],
    ["we get 3 apples and then 1,234.5 pears", "last-number", "1,234.5"],
    ["total -17.", "last-number", "-17"],
    ["3/4", "auto", "3/4"],
    ["x = 2", "auto", "x = 2"],
    ["There are 12 eggs", "auto", "12"],
    ["no digits here", "last-number", null],
    ["\\boxed{unclosed", "boxed", null],
  ])("%j (%s) -> %j", (text, mode, expected) => {
    expect(extractAnswer(text, mode as "auto")).toBe(expected);
  });
});

describe("checkMath: equivalent", () => {
  it.each([
    ["1234567", "1,234,567"],
    ["1000", "1{,}000"],
    ["1000", "1\\,000"],
    ["0.5", "\\frac{1}{2}"],
    ["\\frac{1}{2}", "\\dfrac{2}{4}"],
    ["\\frac12", "0.50"],
    ["-3", "−3"],
    ["-\\frac{3}{4}", "\\frac{-3}{4}"],
    ["50\\%", "50"],
    ["50\\%", "0.5"],
    ["2x+1", "1+2x"],
    ["x^2-1", "(x-1)(x+1)"],
    ["\\frac{x}{2}", "0.5x"],
    ["2\\sqrt{2}", "\\sqrt{8}"],
    ["\\pi/2", "\\frac{\\pi}{2}"],
    ["(1, 2)", "(1,2)"],
    ["\\{1, 2, 3\\}", "\\{3, 2, 1\\}"],
    ["[1, 2)", "[1,2)"],
    ["(-\\infty, 3]", "(-∞, 3]"],
    ["(-\\infty,0)\\cup(1,\\infty)", "(1,\\infty)\\cup(-\\infty,0)"],
    ["x = 5", "5"],
    ["1 \\pm \\sqrt{2}", "1+\\sqrt{2}, 1-\\sqrt{2}"],
    ["30^\\circ", "30"],
    ["\\$12", "12"],
    ["123456789012345678901234567890", "123456789012345678901234567890"],
    ["2^{10}", "1024"],
    ["5!", "120"],
    ["\\text{(B)}", "\\text{(B)}"],
    ["y = 2x + 3", "y=3+2x"],
    ["100000", "1e5"],
    ["0.0025", "2.5E-3"],
    ["1500", "1.5 \\times 10^{3}"],
    ["3.5", "3\\frac{1}{2}"],
    ["-\\frac{7}{2}", "-3\\frac12"],
    ["\\frac{3x}{2}", "3\\frac{x}{2}"],
    ["2e", "2e"],
    ["x+y=1", "1-x-y=0"],
  ])("gold %j ~ pred %j", (gold, pred) => {
    const check = checkMath(gold, pred);
    expect(check.reason).toBeUndefined();
    expect(check.equivalent).toBe(true);
  });

  it.each([
    ["5", "\\boxed{5 cm}"],
    ["12", "\\boxed{12 \\text{ dollars}}"],
    ["3.5", "\\boxed{3.5\\,\\mathrm{m/s}}"],
    ["\\frac{1}{2}", "\\boxed{\\frac{1}{2} \\text{cup}}"],
  ])("with strip_units: gold %j ~ pred %j", (gold, pred) => {
    expect(checkMath(gold, pred, { stripUnits: true }).equivalent).toBe(true);
    expect(checkMath(gold, pred).equivalent).toBe(false);
  });
});

describe("checkMath: not equivalent", () => {
  it.each([
    ["1/3", "0.333"],
    ["3.14", "\\pi"],
    ["123456789012345678901", "123456789012345678902"],
    ["[1, 2)", "[1, 2]"],
    ["(1, 2)", "(2, 1)"],
    ["\\{1, 2\\}", "\\{1, 2, 3\\}"],
    ["x^2", "2x"],
    ["-5", "5"],
    ["2", "1,234"],
    ["10^{10^{10}}", "10^{10^{11}}"],
    ["\\sqrt{2}", "1.41421356"],
  ])("gold %j !~ pred %j", (gold, pred) => {
    const check = checkMath(gold, pred);
    expect(check.equivalent).toBe(false);
    expect(check.reason).toBeTruthy();
  });

  it.each([
    ["a 1 MB string", "1".repeat(1_000_000)],
    ["1 MB of prose", "word ".repeat(200_000)],
    ["deep parentheses", `\\boxed{${"(".repeat(400)}1${")".repeat(400)}}`],
    ["10,000 unboxed parentheses", `${"(".repeat(10_000)}2${")".repeat(10_000)}`],
    ["deep braces", `\\boxed{${"{".repeat(5000)}1${"}".repeat(5000)}}`],
    ["a tower of powers", "\\boxed{10^10^10^10^10^10}"],
    ["a huge power", "\\boxed{(10^{300})^{(10^{300})}}"],
    ["a huge factorial", "\\boxed{100000!}"],
    ["150,000 unclosed boxes (1 MB)", "\\boxed{".repeat(150_000)],
    ["150,000 boxes of spaces", "\\boxed          ".repeat(60_000)],
    ["nested sets", `\\boxed{${"\\{".repeat(40)}1${"\\}".repeat(40)}}`],
    ["unknown command", "\\boxed{\\foo{1}}"],
    ["garbage", "\\boxed{)(}"],
    ["a long digit run", `\\boxed{${"9".repeat(5000)}}`],
  ])("%s is not equivalent, with a reason, and returns quickly", (_name, pred) => {
    const check = checkMath("1", pred);
    expect(check.equivalent).toBe(false);
    expect(check.reason).toBeTruthy();
  });

  it("never throws on arbitrary strings (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (gold, pred) => {
        const check = checkMath(gold, pred);
        expect(typeof check.equivalent).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });

  it("is reflexive on parseable integers and fractions (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 10_000 }), (n, d) => {
        expect(checkMath(`\\frac{${n}}{${d}}`, `\\frac{${2 * n}}{${2 * d}}`).equivalent).toBe(true);
        expect(checkMath(String(n), `\\boxed{${n}}`).equivalent).toBe(true);
      }),
    );
  });
});

describe("checkMath: invariants (properties)", () => {
  it("a set equals any reordering of itself, and differs once an element changes", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -999, max: 999 }), { minLength: 1, maxLength: 8 }),
        (xs) => {
          const gold = `\\{${xs.join(", ")}\\}`;
          const shuffled = `\\{${[...xs].reverse().join(",")}\\}`;
          expect(checkMath(gold, `\\boxed{${shuffled}}`).equivalent).toBe(true);
          const changed = `\\{${[...xs.slice(1), Math.max(...xs) + 1].join(",")}\\}`;
          expect(checkMath(gold, `\\boxed{${changed}}`).equivalent).toBe(false);
        },
      ),
    );
  });

  it("equal rationals share the class, whatever their spelling", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 2, max: 50 }),
        (n, d, k) => {
          const a = checkMath("0", `\\boxed{\\frac{${n}}{${d}}}`).class;
          const b = checkMath("0", `\\boxed{\\dfrac{${n * k}}{${d * k}}}`).class;
          expect(a).toBe(b);
        },
      ),
    );
  });

  it("an interval differs from the same interval with one end flipped", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 1, max: 100 }), (a, b) => {
        for (const [open, close] of [
          ["(", ")"],
          ["[", "]"],
          ["(", "]"],
          ["[", ")"],
        ]) {
          const gold = `${open}${a}, ${b}${close}`;
          const flipped = `${open}${a}, ${b}${close === ")" ? "]" : ")"}`;
          expect(checkMath(gold, `\\boxed{${gold}}`).equivalent).toBe(true);
          expect(checkMath(gold, `\\boxed{${flipped}}`).equivalent).toBe(false);
        }
      }),
    );
  });
});

describe("verifyMath", () => {
  const config = verifierConfigSchema.parse({ type: "math" });
  it("passes with the canonical class of the answer", () => {
    if (config.type !== "math") throw new Error("unreachable");
    expect(verifyMath(config, { response: "so \\boxed{0.50}", gold: "\\frac{1}{2}" })).toEqual({
      pass: true,
      class: "1/2",
    });
  });
  it("fails with a reason when the gold field is missing", () => {
    if (config.type !== "math") throw new Error("unreachable");
    expect(verifyMath(config, { response: "1" })).toMatchObject({
      pass: false,
      reason: expect.stringMatching(/gold/),
    });
  });
});
