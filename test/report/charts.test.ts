/**
 * Chart geometry (a value maps to the expected pixel), accessible labelling, escaping of hostile
 * text and determinism of the SVG output.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  barChart,
  barGeometry,
  binValues,
  histogramChart,
  histogramGeometry,
  type LineChartOptions,
  lineChart,
  lineGeometry,
  svgFile,
} from "../../src/report/index.js";

/** The attributes of every element of `tag` carrying `cls` in an SVG string. */
function marks(svg: string, tag: string, cls: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attrs = Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    if ((attrs.class ?? "").split(" ").includes(cls)) out.push(attrs);
  }
  return out;
}

const lineOptions: LineChartOptions = {
  title: "Bits per iteration",
  xLabel: "iteration",
  yLabel: "bits",
  series: [
    {
      name: "verifier",
      points: [
        { x: 0, y: 0.8, lo: 0.7, hi: 0.9 },
        { x: 1, y: 0.5, lo: 0.4, hi: 0.6 },
        { x: 2, y: null },
        { x: 3, y: 0.2, lo: 0.1, hi: 0.3 },
        { x: 4, y: 0.1, lo: 0.05, hi: 0.15 },
      ],
    },
    {
      name: "judge",
      points: [
        { x: 0, y: 0.3 },
        { x: 4, y: 0.6 },
      ],
    },
  ],
};

describe("lineChart", () => {
  const svg = lineChart(lineOptions);
  const g = lineGeometry(lineOptions);

  it("maps a point at value v to the expected pixel", () => {
    // y axis 0..1 (nice ticks), x axis 0..4: pixel = edge + fraction * extent.
    const { left, right, top, bottom } = g.plot;
    const points = marks(svg, "circle", "ol-point");
    expect(points).toHaveLength(6);
    const first = points[0];
    expect(Number(first.cx)).toBeCloseTo(left, 2);
    expect(Number(first.cy)).toBeCloseTo(bottom - 0.8 * (bottom - top), 2);
    const third = points.find((p) => p["data-series"] === "0" && p["data-x"] === "3")!;
    expect(Number(third.cx)).toBeCloseTo(left + 0.75 * (right - left), 2);
    expect(Number(third.cy)).toBeCloseTo(bottom - 0.2 * (bottom - top), 2);
    expect(g.y(0)).toBe(bottom);
    expect(g.y(1)).toBe(top);
  });

  it("breaks the line and the band at a gap", () => {
    expect(marks(svg, "path", "ol-line")).toHaveLength(3); // verifier in two runs, judge in one
    const bands = marks(svg, "path", "ol-band");
    expect(bands).toHaveLength(2);
    // The first band goes along the upper bounds 0.9, 0.6 and back along the lower bounds 0.6, 0.4... closed.
    const y = (v: number) => Math.round(g.y(v) * 100) / 100;
    expect(bands[0].d).toBe(
      `M${Math.round(g.x(0) * 100) / 100},${y(0.9)}L${Math.round(g.x(1) * 100) / 100},${y(0.6)}` +
        `L${Math.round(g.x(1) * 100) / 100},${y(0.4)}L${Math.round(g.x(0) * 100) / 100},${y(0.7)}Z`,
    );
  });

  it("is labelled for screen readers", () => {
    expect(svg).toMatch(
      /^<svg [^>]*role="img"[^>]*aria-labelledby="ol-bits-per-iteration-title ol-bits-per-iteration-desc"/,
    );
    expect(svg).toContain('<title id="ol-bits-per-iteration-title">Bits per iteration</title>');
    expect(svg).toContain("with confidence bands");
  });

  it("makes a standalone .svg file with its own background and text colour", () => {
    const file = svgFile(svg);
    expect(
      file.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg color="#1d2127" style="background:#ffffff" xmlns=',
      ),
    ).toBe(true);
    expect(file.endsWith("</svg>\n")).toBe(true);
  });

  it("says 'no data' when there is nothing to draw", () => {
    const empty = lineChart({ title: "Empty", series: [{ name: "s", points: [] }] });
    expect(empty).toContain(">no data</text>");
    expect(empty).not.toMatch(/NaN|Infinity/);
  });

  it("never prints NaN or Infinity and is deterministic for any finite data", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.integer({ min: 0, max: 50 }),
            y: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
          }),
          {
            maxLength: 20,
          },
        ),
        (points) => {
          const options = { title: "p", series: [{ name: "s", points }] };
          const a = lineChart(options);
          expect(a).not.toMatch(/NaN|Infinity/);
          expect(lineChart(options)).toBe(a);
        },
      ),
    );
  });
});

describe("lineChart on logarithmic axes", () => {
  const options: LineChartOptions = {
    title: "Surface bits against M",
    xScale: "log2",
    yScale: "log10",
    series: [
      {
        name: "measured",
        points: [
          { x: 1, y: 1 },
          { x: 4, y: 0.1 },
          { x: 16, y: 0.01 },
          { x: 0, y: 5 },
          { x: 8, y: 0 },
        ],
      },
    ],
  };
  const svg = lineChart(options);
  const g = lineGeometry(options);

  it("places powers evenly and labels ticks with the values, not the exponents", () => {
    const { left, right, top, bottom } = g.plot;
    expect(g.x(4)).toBeCloseTo((left + right) / 2, 6);
    expect(g.x(16)).toBeCloseTo(right, 6);
    expect(g.y(1)).toBeCloseTo(top, 6);
    expect(g.y(0.1)).toBeCloseTo((top + bottom) / 2, 6);
    const ticks = [...svg.matchAll(/class="ol-tick">([^<]*)</g)].map((m) => m[1]);
    expect(ticks).toEqual(["0.01", "0.1", "1", "1", "2", "4", "8", "16"]);
  });

  it("leaves out values that a logarithmic axis cannot show", () => {
    const points = marks(svg, "circle", "ol-point");
    expect(points.map((p) => p["data-x"])).toEqual(["1", "4", "16"]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe("barChart", () => {
  const options = {
    title: "Hacking channels",
    categories: ["length", "<script>alert(1)</script>"],
    series: [
      { name: "inside a class", values: [{ value: 0.2, lo: 0.1, hi: 0.3 }, { value: 0.05 }] },
      { name: "marginal", values: [{ value: 0.4 }, null] },
    ],
    emphasis: [true, false],
    emphasisLabel: "flagged",
    valueLabel: "bits",
  };
  const svg = barChart(options);
  const g = barGeometry(options);

  it("draws bars whose length is proportional to the value", () => {
    const bars = marks(svg, "rect", "ol-bar");
    expect(bars).toHaveLength(3);
    // value axis 0..0.4 in steps of 0.1
    const perUnit = (g.plot.right - g.plot.left) / 0.4;
    expect(Number(bars[0].x)).toBe(g.plot.left);
    expect(Number(bars[0].width)).toBeCloseTo(0.2 * perUnit, 1);
    expect(Number(bars[1].width)).toBeCloseTo(0.4 * perUnit, 1);
    expect(Number(bars[2].width)).toBeCloseTo(0.05 * perUnit, 1);
    expect(bars[0]["data-value"]).toBe("0.2");
    expect(Number(bars[2].y)).toBe(g.rowTop(1));
  });

  it("draws an error bar from lo to hi", () => {
    const [bar] = marks(svg, "path", "ol-errorbar");
    const x = (v: number) => Math.round(g.x(v) * 100) / 100;
    expect(bar.d.startsWith(`M${x(0.1)},`)).toBe(true);
    expect(bar.d).toContain(`H${x(0.3)}M`);
  });

  it("escapes hostile category names", () => {
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(marks(svg, "circle", "ol-emphasis")).toHaveLength(1);
  });

  it("is deterministic", () => {
    expect(barChart(options)).toBe(svg);
  });
});

describe("histogramChart", () => {
  it("bins values with the maximum in the last bin", () => {
    expect(binValues([0, 0.05, 0.5, 0.99, 1], { bins: 4, min: 0, max: 1 }).map((b) => b.count)).toEqual([
      2, 0, 1, 2,
    ]);
    expect(binValues([0, 0.5, 1], { bins: 2 }).map((b) => [b.lo, b.hi, b.count])).toEqual([
      [0, 0.5, 1],
      [0.5, 1, 2],
    ]);
  });

  it("draws bar heights proportional to counts and point masses outside the range ends", () => {
    const options = {
      title: "Pass rates",
      bins: [
        { lo: 0, hi: 0, count: 2 },
        ...binValues([0.1, 0.3, 0.35, 0.6, 0.65, 0.7, 0.9], { bins: 5, min: 0, max: 1 }),
        { lo: 1, hi: 1, count: 4 },
      ],
      emphasis: [true, false, false, false, false, false, true],
    };
    const svg = histogramChart(options);
    const g = histogramGeometry(options);
    const bars = marks(svg, "rect", "ol-bar");
    expect(bars.map((b) => b["data-count"])).toEqual(["2", "1", "2", "0", "3", "1", "4"]);
    const unit = (g.plot.bottom - g.plot.top) / 4; // count axis 0..4
    expect(Number(bars[4].height)).toBeCloseTo(3 * unit, 1);
    expect(Number(bars[4].y)).toBeCloseTo(g.plot.bottom - 3 * unit, 1);
    expect(Number(bars[4].x)).toBeCloseTo(g.x(0.6) + 0.5, 1);
    // The mass at 0 ends left of x(0); the mass at 1 starts right of x(1); bins stay inside.
    expect(Number(bars[0].x) + Number(bars[0].width)).toBeLessThan(g.x(0));
    expect(Number(bars[6].x)).toBeGreaterThan(g.x(1));
    expect(Number(bars[1].x)).toBeGreaterThanOrEqual(g.x(0));
    expect(marks(svg, "rect", "ol-emphasis")).toHaveLength(2);
  });
});
