/** Nice ticks, linear scales and tick labels. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTick, linearScale, niceTicks } from "../../src/report/index.js";

describe("niceTicks", () => {
  it.each([
    [0, 0.93, 5, { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }],
    [0, 1, 5, { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }],
    [0, 100, 5, { min: 0, max: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] }],
    [-0.3, 0.7, 5, { min: -0.4, max: 0.8, step: 0.2, ticks: [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8] }],
    [
      0.62,
      0.62,
      5,
      { min: 0.54, max: 0.7, step: 0.02, ticks: [0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7] },
    ],
    [0, 0, 5, { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }],
  ])("niceTicks(%d, %d, %d)", (min, max, count, expected) => {
    expect(niceTicks(min, max, count)).toEqual(expected);
  });

  it("keeps integer steps for iterations", () => {
    expect(niceTicks(0, 3, 6, { integer: true })).toEqual({ min: 0, max: 3, step: 1, ticks: [0, 1, 2, 3] });
  });

  it("covers the data (up to float noise) with steps of 1, 2 or 5 times a power of ten and few ticks", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, -0, 5e-324, 1e-300)),
        fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1e-13, -5e-324)),
        (a, b) => {
          const t = niceTicks(a, b, 5);
          expect(t.min).toBeLessThanOrEqual(Math.min(a, b) + 1e-9);
          expect(t.max).toBeGreaterThanOrEqual(Math.max(a, b) - 1e-9);
          const mantissa = Number((t.step / 10 ** Math.floor(Math.log10(t.step))).toPrecision(6));
          expect([1, 2, 5]).toContain(mantissa);
          expect(t.ticks.length).toBeLessThanOrEqual(12);
          expect(t.ticks[0]).toBe(t.min);
          expect(t.ticks[t.ticks.length - 1]).toBe(t.max);
        },
      ),
    );
  });
});

describe("linearScale", () => {
  it.each([
    [[0, 1], [300, 20], 0.5, 160],
    [[0, 1], [300, 20], 0, 300],
    [[0, 1], [300, 20], 1, 20],
    [[-2, 2], [0, 400], 1, 300],
  ] as [[number, number], [number, number], number, number][])("%j -> %j maps %d to %d", (d, r, v, px) => {
    expect(linearScale(d, r)(v)).toBeCloseTo(px, 10);
  });

  it("maps an empty domain to the middle of the range", () => {
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });
});

describe("formatTick", () => {
  it.each([
    [0.2, 0.2, "0.2"],
    [1, 0.2, "1.0"],
    [0.30000000000000004, 0.1, "0.3"],
    [20, 20, "20"],
    [0.05, 0.05, "0.05"],
    [-0, 0.5, "0.0"],
  ])("formatTick(%d, step %d) = %s", (v, step, text) => {
    expect(formatTick(v, step)).toBe(text);
  });
});
