/** Escaping for HTML/SVG and Markdown: nothing markup-significant survives, and nothing is lost. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, escapeMarkdown } from "../../src/report/index.js";

const unescapeHtml = (s: string) =>
  s.replace(
    /&(lt|gt|quot|#39|amp);/g,
    (_m, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e] as string,
  );

describe("escapeHtml", () => {
  it("leaves no markup-significant character and round-trips any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const e = escapeHtml(s);
        expect(e).not.toMatch(/[<>"']/);
        expect(e.replace(/&(lt|gt|quot|#39|amp);/g, "")).not.toContain("&");
        expect(unescapeHtml(e)).toBe(s);
      }),
    );
  });
});

describe("escapeMarkdown", () => {
  it("keeps a cell on one line with no bare pipe or angle bracket", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = escapeMarkdown(s);
        expect(e).not.toMatch(/[\r\n<>]/);
        // every pipe is preceded by an odd number of backslashes (escaped)
        for (const m of e.matchAll(/(\\*)\|/g)) expect(m[1].length % 2).toBe(1);
      }),
    );
  });
});
