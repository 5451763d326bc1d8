import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discretise, VariableScan } from "../../src/analyze/variables.js";

function scanOf(
  role: "signal" | "builtin" | "user",
  values: (number | string | boolean)[],
  prompts?: number[],
) {
  const scan = new VariableScan("v", role, 0);
  values.forEach((v, i) => {
    scan.check(v);
    scan.observe(v, prompts?.[i] ?? 0);
  });
  return scan;
}

describe("discretisation of signals and features", () => {
  it("makes booleans and two-valued numbers binary, the larger value passing", () => {
    const d = discretise(scanOf("signal", [-1, 1, 1, -1]));
    expect(d).toMatchObject({ kind: "binary", levels: 2 });
    expect([d.code(-1, 0), d.code(1, 0)]).toEqual([0, 1]);
    expect(discretise(scanOf("signal", [true, false])).code(true, 0)).toBe(1);
    expect(discretise(scanOf("signal", [1, 1])).kind).toBe("binary"); // a constant verdict is still a verdict
  });

  it("keeps up to 16 values as categories and cuts more into within-prompt quartiles", () => {
    const few = discretise(scanOf("signal", [3, 1, 2, 3]));
    expect(few).toMatchObject({ kind: "categorical", levels: 3, labels: ["1", "2", "3"] });
    const values = Array.from({ length: 40 }, (_, i) => i);
    const many = discretise(scanOf("signal", values));
    expect(many).toMatchObject({ kind: "continuous", levels: 4 });
    const bins = values.map((v) => many.code(v, 0));
    // cuts at mean + z sd for the normal quartiles z = -0.674, 0, 0.674: for 0..39 (mean 19.5,
    // sd 11.54) that is 11.71, 19.5, 27.29, so 12, 8, 8, 12 values
    expect([0, 1, 2, 3].map((b) => bins.filter((x) => x === b).length)).toEqual([12, 8, 8, 12]);
  });

  it("bins continuous values against their own prompt's mean and spread", () => {
    const values = [
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => 1000 + 10 * i),
    ];
    const prompts = values.map((_, i) => (i < 10 ? 0 : 1));
    const scan = new VariableScan("len", "builtin", 0);
    values.forEach((v, i) => {
      scan.observe(v, prompts[i]);
    });
    const d = discretise(scan);
    expect(d.code(0, 0)).toBe(0);
    expect(d.code(9, 0)).toBe(3);
    expect(d.code(1000, 1)).toBe(0);
    expect(d.code(1090, 1)).toBe(3);
  });

  it("skips constant features and puts strings beyond 16 values into 'other'", () => {
    expect(discretise(scanOf("builtin", [true, true])).levels).toBe(1);
    const strings = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const d = discretise(scanOf("user", strings));
    expect(d.levels).toBe(17);
    expect(d.code("s19", 0)).toBe(16);
    expect(d.code("s0", 0)).toBe(0);
  });

  it("rejects a value of the other type, naming the variable", () => {
    const scan = scanOf("signal", [0.5]);
    expect(() => scan.check("high")).toThrow(/signal 'v' must be a number or boolean/);
    expect(() => discretise(scan).code("high", 0)).toThrow(/signal 'v'/);
  });

  it("observeNumbers equals observe value by value: distinct values, overflow, per-prompt moments (property)", () => {
    const value = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(Number.NaN, -0, 0.5),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    );
    const chunk = fc.array(fc.tuple(value, fc.nat(5)), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.constantFrom("signal", "builtin") as fc.Arbitrary<"signal" | "builtin">,
        fc.array(chunk, { maxLength: 5 }),
        (role, chunks) => {
          const one = new VariableScan("v", role, 0);
          const bulk = new VariableScan("v", role, 0);
          for (const rows of chunks) {
            for (const [v, p] of rows) if (!Number.isNaN(v)) one.observe(v, p);
            const column = Float64Array.from([99, ...rows.map(([v]) => v)]);
            bulk.observeNumbers(
              column,
              1,
              rows.length,
              Int32Array.from(rows, ([, p]) => p),
            );
          }
          expect([bulk.kind, bulk.count, bulk.overflow]).toEqual([one.kind, one.count, one.overflow]);
          expect([...bulk.distinct]).toEqual([...one.distinct]);
          for (let p = 0; p < 6; p++) expect(bulk.promptMoments(p)).toEqual(one.promptMoments(p));
        },
      ),
      { numRuns: 300 },
    );
  });
});
