/** Every rendering copes with a document of nulls and empty lists: no crash, no NaN, "n/a" shown. */
import { describe, expect, it } from "vitest";
import { renderHtml, renderMarkdown, renderTerminal } from "../../src/report/index.js";
import { emptyDocument, fixtureDocument } from "./fixture.js";

describe.each([
  ["terminal", renderTerminal],
  ["markdown", renderMarkdown],
  ["html", renderHtml],
] as const)("%s rendering of a degenerate document", (_name, render) => {
  const out = render(emptyDocument());

  it("prints n/a for missing values and never NaN, Infinity or undefined", () => {
    expect(out).toContain("n/a");
    expect(out).not.toMatch(/NaN|Infinity|undefined|null/);
  });

  it("says there are no findings", () => {
    expect(out).toMatch(/No findings\.|Findings \(0\)/);
  });
});

describe("renderHtml of a degenerate document", () => {
  it("draws the bits-per-iteration chart with a 'no data' note and no diversity charts", () => {
    const html = renderHtml(emptyDocument());
    const ids = [...html.matchAll(/<svg [^>]*id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["ol-s0-bits"]);
    expect(html).toContain(">no data</text>");
  });
});

describe("renderTerminal with --by iteration", () => {
  it("prints one table row per iteration", () => {
    const doc = fixtureDocument();
    const out = renderTerminal(doc);
    expect(out).toContain("verifier bits/sample by iteration: 0: 0.62 [0.57, 0.67]");
    doc.settings.by_iteration = true;
    const lines = renderTerminal(doc).split("\n");
    const header = lines.findIndex((l) => l.trim() === "verifier by iteration");
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1].trim().split(/\s{2,}/)).toEqual([
      "iter",
      "bits/sample",
      "zero-info",
      "task",
      "intra-class",
      "\u03b7",
      "pass rate",
      "flagged channels",
    ]);
    expect(lines[header + 2].trimEnd().endsWith("50%  none")).toBe(true);
    expect(lines[header + 5]).toBe(
      "       3   0.3 [0.25, 0.35]  20% [5%, 35%]     0.27 [0.22, 0.32]    0.03 [0, 0.08]  0.9 [0.82, 0.97]        50%  length_chars 0.27",
    );
  });

  it("leaves out the flagged-channels column when no iteration has one", () => {
    const doc = fixtureDocument();
    doc.settings.by_iteration = true;
    for (const it of doc.signals[0].per_iteration) for (const c of it.hacking_channels) c.flagged = false;
    const lines = renderTerminal(doc).split("\n");
    const header = lines.findIndex((l) => l.trim() === "verifier by iteration");
    expect(lines[header + 1].trim().split(/\s{2,}/)).toHaveLength(7);
    expect(lines[header + 5]).toBe(
      "       3   0.3 [0.25, 0.35]  20% [5%, 35%]     0.27 [0.22, 0.32]    0.03 [0, 0.08]  0.9 [0.82, 0.97]        50%",
    );
  });

  it("abbreviates a long run of iterations on one line", () => {
    const doc = fixtureDocument();
    doc.settings.by_iteration = false;
    const first = doc.signals[0].per_iteration[0];
    doc.signals[0].per_iteration = Array.from({ length: 10 }, (_, iteration) => ({ ...first, iteration }));
    const line = renderTerminal(doc)
      .split("\n")
      .find((l) => l.includes("bits/sample by iteration"));
    expect(line).toContain("2: 0.62 [0.57, 0.67]  \u2026  7: 0.62");
    expect(line).not.toContain("3: ");
  });
});
