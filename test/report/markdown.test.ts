/** Markdown rendering: tables with real values and intervals, findings first, escaping, determinism. */
import { describe, expect, it } from "vitest";
import { escapeMarkdown, markdownTable, renderMarkdown } from "../../src/report/index.js";
import { fixtureDocument, VERIFIER_BITS } from "./fixture.js";

describe("markdownTable", () => {
  it("right-aligns numeric columns and escapes cells", () => {
    expect(
      markdownTable(
        ["feature", "bits"],
        [
          ["len|chars", 0.21],
          ["<b>x</b>", 1],
        ],
      ),
    ).toBe(
      ["| feature | bits |", "| --- | ---: |", "| len\\|chars | 0.21 |", "| &lt;b&gt;x&lt;/b&gt; | 1 |"].join(
        "\n",
      ),
    );
  });

  it.each([
    ["a|b", "a\\|b"],
    ["line\nbreak", "line break"],
    ["*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["a & b", "a &amp; b"],
  ])("escapeMarkdown(%j) = %j", (input, output) => {
    expect(escapeMarkdown(input)).toBe(output);
  });
});

describe("renderMarkdown", () => {
  const md = renderMarkdown(fixtureDocument());
  const lines = md.split("\n");

  it("reports the closed-form bits per sample of the verifier with its interval", () => {
    // mean over prompts of h(p_q) for the fixture's pass rates = 0.66186 bits
    expect(VERIFIER_BITS).toBeCloseTo(0.661855, 6);
    expect(lines).toContain(
      "| verifier | binary | 0.662 [0.622, 0.702] | 20% [5%, 35%] | 0.596 [0.556, 0.636] | 0.0662 [0, 0.106] | 0.9 [0.82, 0.97] | 1 |",
    );
    expect(lines).toContain(
      "| judge | continuous | 1.52 [1.41, 1.63] | 0% [0%, 0%] | 0.38 [0.3, 0.46] | 1.14 [1.02, 1.25] | 0.25 [0.2, 0.31] | 0 |",
    );
  });

  it("puts the findings first, most severe first", () => {
    const findings = lines.filter((l) => l.startsWith("- **"));
    expect(findings.map((l) => l.slice(0, 16))).toEqual([
      "- **CRITICAL** \u2014",
      "- **CRITICAL** \u2014",
      "- **WARNING** \u2014 ",
    ]);
    expect(findings[0]).toContain("verifier leaks length\\_chars inside a class");
    expect(md.indexOf("## Findings")).toBeLessThan(md.indexOf("## Signals"));
  });

  it("tabulates hacking channels with p-values and escapes the hostile feature name", () => {
    expect(lines).toContain(
      "| length\\_chars | builtin | 0.123 [0.0811, 0.17] | 0.0031 | <0.001 | 0.2 [0.15, 0.26] | yes |".replace(
        "<0.001",
        "&lt;0.001",
      ),
    );
    expect(lines).toContain(
      "| &lt;script&gt;alert(1)&lt;/script&gt; | user | 0.004 [0, 0.011] | 0.0035 | 0.62 | 0.006 [0, 0.014] | no |",
    );
    expect(md).not.toContain("<script>");
  });

  it("tabulates pass rates, iterations, fidelity, drift and diversity", () => {
    expect(lines).toContain("| [0.9, 1] | 2 |");
    expect(lines).toContain("| [0.8, 0.9) | 3 |");
    expect(lines).toContain("| [0, 0.1) | 2 |");
    expect(lines).toContain(
      "| 3 | 0.3 [0.25, 0.35] | 20% [5%, 35%] | 0.27 [0.22, 0.32] | 0.03 [0, 0.08] | 0.9 [0.82, 0.97] | 50% | length\\_chars 0.27 |",
    );
    expect(lines).toContain(
      "| 0 | 0.62 [0.57, 0.67] | 20% [5%, 35%] | 0.558 [0.508, 0.608] | 0.062 [0, 0.112] | 0.9 [0.82, 0.97] | 50% | none |",
    );
    expect(lines).toContain("| false-positive rate P(pass \\| wrong) | 5% [2%, 9%] |");
    expect(lines).toContain("| 3 | 0.19 [0.095, 0.285] |");
    expect(lines).toContain("| 3 | 160 | 20 | 0.5 [0.4, 0.6] | 35 | 4 | 1.75 | 35% [32%, 38%] | 46% | 44 |");
    expect(md).toContain("**collapsing**");
    expect(md).toContain("2.32 [2.1, 2.5] bits per sample on surface form");
  });

  it("lists inputs, missing fields and skipped lines", () => {
    expect(lines).toContain("| rollouts.jsonl | jsonl | 640 | 1 |");
    expect(lines).toContain("| accepted | acceptance rate |");
    expect(lines).toContain("- rollouts.jsonl:17: invalid JSON: Unexpected token");
  });

  it("is deterministic", () => {
    expect(renderMarkdown(fixtureDocument())).toBe(md);
  });
});
