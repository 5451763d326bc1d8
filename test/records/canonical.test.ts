import { describe, expect, it } from "vitest";
import { canonicalise, NO_ANSWER, parseClassFrom } from "../../src/records/index.js";

describe("canonicalisers", () => {
  it.each([
    ["so x = 3, and the answer is 1,200.", "1200"],
    ["answer: -0.50", "-0.5"],
    ["-0", "0"],
    ["2.5e3 apples", "2500"],
    ["no digits here", NO_ANSWER],
  ])("last-number of %j is %j", (text, expected) => {
    expect(canonicalise(text, "last-number")).toBe(expected);
  });

  it.each([
    ["The answer is \\boxed{\\frac{1}{2}}.", "\\frac{1}{2}"],
    ["\\boxed{1} then \\boxed{ 2 + x }", "2+x"],
    ["\\boxed{unclosed", NO_ANSWER],
    ["none", NO_ANSWER],
  ])("boxed of %j is %j", (text, expected) => {
    expect(canonicalise(text, "boxed")).toBe(expected);
  });

  it("exact and trimmed-lower", () => {
    expect(canonicalise("  Yes  ", "exact")).toBe("  Yes  ");
    expect(canonicalise("  Yes \n  Sir ", "trimmed-lower")).toBe("yes sir");
  });

  it.each([
    ["response:last-number", { field: "response", canonicaliser: "last-number" }],
    [":boxed", { field: "response", canonicaliser: "boxed" }],
    ["class:trimmed-lower", { field: "class", canonicaliser: "trimmed-lower" }],
  ])("parses --class-from %s", (spec, expected) => {
    expect(parseClassFrom(spec)).toEqual(expected);
  });

  it.each([["response:first-number"], ["answer:boxed"]])("rejects --class-from %s", (spec) => {
    expect(() => parseClassFrom(spec)).toThrow(expect.objectContaining({ code: "usage" }));
  });
});
