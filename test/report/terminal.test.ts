/** Terminal summary: aligned tables, severity colours only when styles are given. */
import { describe, expect, it } from "vitest";
import { renderTerminal, textTable } from "../../src/report/index.js";
import { fixtureDocument } from "./fixture.js";

describe("textTable", () => {
  it("pads columns and right-aligns numbers", () => {
    const table = {
      headers: ["feature", "bits"],
      rows: [
        [{ text: "length" }, { text: "0.2", ci: "[0.1, 0.3]", num: true }],
        [{ text: "x" }, { text: "1", num: true }],
      ],
    };
    expect(textTable(table)).toBe(
      ["  feature            bits", "  length   0.2 [0.1, 0.3]", "  x                     1"].join("\n"),
    );
  });
});

describe("renderTerminal", () => {
  const doc = fixtureDocument();

  it("summarises findings, signals, channels and diversity in plain text", () => {
    const out = renderTerminal(doc);
    expect(out).toContain(
      "openloop analysis: 640 records, 20 prompts, iterations 0\u20133, 2 signals, 1 bad line skipped",
    );
    expect(out).toMatch(/ {2}CRITICAL {2}verifier leaks length_chars inside a class/);
    expect(out).toContain(
      "  verifier  binary      0.662 [0.622, 0.702]  20% [5%, 35%]  0.596 [0.556, 0.636]  0.0662 [0, 0.106]",
    );
    expect(out).toContain("    length_chars: 0.123 [0.0811, 0.17] bits, p <0.001  flagged");
    expect(out).toContain("verifier bits/sample by iteration: 0: 0.62 [0.57, 0.67]  1: 0.55 [0.5, 0.6]");
    expect(out).toContain("Diversity (collapsing)");
    expect(out).not.toContain("\u001b[");
  });

  it("applies the given styles", () => {
    const red = (t: string) => `<red>${t}</red>`;
    const out = renderTerminal(doc, { red });
    expect(out).toContain("<red>CRITICAL</red>");
    expect(out).toContain("<red>flagged</red>");
  });
});
