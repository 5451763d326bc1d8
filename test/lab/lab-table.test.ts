import { describe, expect, it } from "vitest";
import { renderLabTable } from "../../src/cli/lab-table.js";
import type { Styles } from "../../src/cli/output.js";
import type { LabRun } from "../../src/lab/index.js";

const plain: Styles = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
  cyan: (t) => t,
};

function runWith(claims: LabRun["experiments"][number]["claims"]): LabRun {
  return {
    experiments: [
      { experiment: "gaussian", kind: "calibration", params: {}, seeds: 3, seed: 7, series: [], claims },
    ],
    records: [],
  };
}

describe("the lab's terminal table", () => {
  it.each([
    [-4.037070940354859, -4.04700259212267, "predicted -4.0371; measured -4.047"],
    [0.017649092023482228, 0.019985779998925167, "predicted 0.017649; measured 0.019986"],
    [20, 17.799913713424704, "predicted 20; measured 17.8"],
    [0.3362872234344071, 0.33462000000000025, "predicted 0.33629; measured 0.33462"],
    [123456789.123, 1e-9 / 3, "predicted 123460000; measured 3.3333e-10"],
    ["<= 2.1806", "0.5 [0.4, 0.6] bits", "predicted <= 2.1806; measured 0.5 [0.4, 0.6] bits"],
  ])("shows %s and %s as '%s'", (predicted, measured, line) => {
    const text = renderLabTable(runWith([{ claim: "c", predicted, measured, holds: true }]), plain);
    expect(text.split("\n")).toContain(`         ${line}`);
  });

  it("counts the claims that hold", () => {
    const claims = [
      { claim: "a", predicted: 1, measured: 1, holds: true },
      { claim: "b", predicted: 1, measured: 2, holds: false },
    ];
    const text = renderLabTable(runWith(claims), plain);
    expect(text).toContain("  holds  a");
    expect(text).toContain("  FAILS  b");
    expect(text.trimEnd().endsWith("1 of 2 claims hold")).toBe(true);
  });
});
