import { describe, expect, it } from "vitest";
import { formatProgress, type RunProgress } from "../../../src/run/index.js";

const base: RunProgress = {
  iteration: 1,
  iterations: 5,
  unitsDone: 50,
  unitsTotal: 200,
  samples: 2000,
  errors: 0,
  accepted: 500,
  bits: 123.456,
  newUnits: 250,
  elapsedMs: 10_000,
};

describe("formatProgress", () => {
  it("shows the iteration, a bar, samples, accept rate, bits and an ETA from the units done here", () => {
    // remaining units: 3 iterations x 200 + 150 = 750 at 40 ms each = 30 s
    expect(formatProgress(base, 200)).toBe(
      "iter 2/5 [#####---------------] 50/200  samples 2000  accept 25.0%  bits 123.5  ETA 30s",
    );
  });

  it.each([
    [{ errors: 7 }, "errors 7"],
    [{ newUnits: 0 }, "ETA --"],
    [{ samples: 0, accepted: 0 }, "accept --"],
    [{ elapsedMs: 10_000_000 }, "ETA 8h20m"],
  ])("%j -> %s", (patch, text) => {
    expect(formatProgress({ ...base, ...patch }, 200)).toContain(text);
  });

  it("never exceeds the terminal width", () => {
    for (const width of [10, 40, 79]) expect(formatProgress(base, width).length).toBeLessThan(width);
  });
});
