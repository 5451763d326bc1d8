/** The HTML report as text: self-contained, escaped, findings first, intervals shown, deterministic. */
import { describe, expect, it } from "vitest";
import { htmlPage, htmlTable, renderHtml } from "../../src/report/index.js";
import { fixtureDocument } from "./fixture.js";

describe("renderHtml", () => {
  const html = renderHtml(fixtureDocument());

  it("references nothing outside the file", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // The only URL is the SVG namespace, which is an identifier, not a request.
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    expect(html).toContain("Content-Security-Policy");
  });

  it("escapes the hostile feature name everywhere", () => {
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows findings before the signals, most severe first, with badges", () => {
    const findings = html.indexOf('id="findings"');
    expect(findings).toBeGreaterThan(0);
    expect(findings).toBeLessThan(html.indexOf('id="signals"'));
    const badges = [...html.matchAll(/<span class="ol-badge ol-(\w+)">/g)].map((m) => m[1]);
    expect(badges).toEqual(["critical", "critical", "warning"]);
  });

  it("prints every number with its interval", () => {
    expect(html).toContain('0.662 <span class="ol-ci">[0.622, 0.702]</span>');
    expect(html).toContain('0.123 <span class="ol-ci">[0.0811, 0.17]</span>');
    expect(html).toContain('35% <span class="ol-ci">[32%, 38%]</span>');
  });

  it("lists each iteration's flagged channels in the per-iteration table", () => {
    expect(html).toContain(">flagged channels (bits)</th>");
    expect(html).toMatch(/<td[^>]*>length_chars 0\.27<\/td>/);
    expect(html).toMatch(/<td[^>]*>none<\/td>/);
  });

  it("draws the four kinds of chart as inline SVG", () => {
    const ids = [...html.matchAll(/<svg [^>]*id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([
      "ol-s0-pass-rate",
      "ol-s0-bits",
      "ol-s0-channels",
      "ol-diversity-entropy",
      "ol-diversity-duplicates",
      "ol-diversity-classes",
    ]);
  });

  it("is deterministic", () => {
    expect(renderHtml(fixtureDocument())).toBe(html);
  });

  it("links the contents and the signal table to sections that exist", () => {
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets).toEqual([
      "findings",
      "signals",
      "signal-0",
      "signal-1",
      "diversity",
      "surface-waste",
      "inputs",
      "signal-0",
      "signal-1",
    ]);
    for (const id of targets) expect(html).toContain(`<section id="${id}">`);
  });

  it("charts the 15 largest channels and tables them all", () => {
    const doc = fixtureDocument();
    const [first] = doc.signals[0].hacking_channels;
    doc.signals[0].hacking_channels = Array.from({ length: 20 }, (_, i) => ({ ...first, feature: `f${i}` }));
    const page = renderHtml(doc);
    const chart = page.match(/<svg [^>]*id="ol-s0-channels".*?<\/svg>/s)![0];
    expect(chart.match(/class="ol-bar ol-mark"/g)).toHaveLength(30);
    expect(chart).toContain(">f14</text>");
    expect(chart).not.toContain(">f15</text>");
    expect(page).toContain("The 15 largest of 20 features; the table below lists every feature.");
    expect(page).toContain("<td>f19</td>");
  });
});

describe("page shell", () => {
  it("wraps a body into a complete document with escaped title", () => {
    const page = htmlPage({ title: "a <b> & c", body: htmlTable(["x", "y"], [["<i>", 2]]) });
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).toContain("<title>a &lt;b&gt; &amp; c</title>");
    expect(page).toContain('<td>&lt;i&gt;</td><td class="ol-num">2</td>');
    expect(page).toContain("prefers-color-scheme:dark");
  });
});
