import { describe, expect, it } from "vitest";
import { buildFlowGraph, dSeparated, NEXT_STUDENT, STUDENT, TASK } from "../../src/audit/index.js";
import { specWith } from "./helpers.js";

function parentsOf(spec: ReturnType<typeof specWith>, id: string): string[] {
  const { dag } = buildFlowGraph(spec);
  return dag.parents[dag.indexOf(id)].map((p) => dag.ids[p]).sort();
}

describe("the unrolled information-flow graph", () => {
  it("pure self-training: X -> Z_t -> Y_t -> D_t -> Z_{t+1} and nothing else from X", () => {
    const spec = specWith({});
    const { dag } = buildFlowGraph(spec);
    expect(dag.children[dag.indexOf(TASK)].map((c) => dag.ids[c])).toEqual([STUDENT]);
    expect(parentsOf(spec, "Y_t")).toEqual(["Q_t", "Z_t"]);
    expect(parentsOf(spec, NEXT_STUDENT)).toEqual(["D_t", "Z_t"]);
    expect(dSeparated(dag, [TASK], [NEXT_STUDENT], [STUDENT])).toBe(true);
  });

  it.each([
    [
      "a self-judge depends only on Z_t, the prompt and the response",
      { kind: "llm-judge", model: "student" },
      ["Q_t", "Y_t", "Z_t"],
    ],
    ["gold answers of a fixed set depend on X", { kind: "answer-match" }, ["Q_t", "R[s]", "Y_t"]],
    [
      "a random reward depends only on its noise (and the prompt it is attached to)",
      { kind: "random" },
      ["N[s]", "Q_t", "Y_t"],
    ],
    ["a format check depends on the response", { kind: "format-check" }, ["Q_t", "Y_t"]],
    ["a proof checker consults the task", { kind: "proof-checker" }, ["Q_t", "X", "Y_t"]],
    ["a fixed judge depends on its fixed model", { kind: "rubric-judge" }, ["J[s]", "Q_t", "Y_t"]],
    ["a reference ignores the response", { kind: "reference" }, ["Q_t", "R[s]"]],
  ])("%s", (_name, signal, parents) => {
    const spec = specWith({ signals: [{ name: "s", ...signal }], selection: { mode: "filter" } });
    expect(parentsOf(spec, "S[s]")).toEqual(parents);
  });

  it("a reward model retrained on the student's outputs is a function of Z_t", () => {
    const spec = specWith({
      signals: [{ name: "s", kind: "reward-model", trained_on: "student-outputs" }],
      selection: { mode: "reward" },
    });
    expect(spec.signals[0].model).toBe("trained-on-student");
    expect(parentsOf(spec, "J[s]")).toEqual(["Z_t"]);
    const { dag } = buildFlowGraph(spec);
    expect(dSeparated(dag, [TASK], [NEXT_STUDENT], [STUDENT])).toBe(true);
  });

  it("a reward model trained on human labels depends on X", () => {
    const spec = specWith({
      signals: [{ name: "s", kind: "reward-model", trained_on: "human-labels" }],
      selection: { mode: "reward" },
    });
    expect(parentsOf(spec, "J[s]")).toEqual(["X"]);
  });

  it("fresh real data depends on X and enters the selected data", () => {
    const spec = specWith({ real_data: { mode: "accumulate", fresh: true } });
    expect(parentsOf(spec, "R_real")).toEqual(["X"]);
    expect(parentsOf(spec, "D_t")).toContain("R_real");
  });

  it("real data used once is not part of the iteration", () => {
    const { dag } = buildFlowGraph(specWith({ real_data: { mode: "once" } }));
    expect(dag.has("R_real")).toBe(false);
  });

  it("references of procedural prompts are fresh: they hang off Q_t, not a fixed set", () => {
    const spec = specWith({
      prompts: { source: "procedural", origin: "real" },
      signals: [{ name: "s", kind: "tests" }],
      selection: { mode: "filter" },
    });
    expect(parentsOf(spec, "R[s]")).toEqual(["Q_t", "X"]);
  });

  it("student-written prompts depend on Z_t; a teacher generator depends on X", () => {
    const spec = specWith({
      prompts: { source: "procedural", origin: "student" },
      generator: { role: "teacher" },
    });
    expect(parentsOf(spec, "Q_t")).toEqual(["Z_t"]);
    expect(parentsOf(spec, "Y_t")).toEqual(["Q_t", "T"]);
    expect(parentsOf(spec, "T")).toEqual(["X"]);
  });

  it("an unused signal does not reach the selected data; SFT on references skips the responses", () => {
    const spec = specWith({
      signals: [
        { name: "ref", kind: "reference" },
        { name: "other", kind: "answer-match" },
      ],
      selection: { mode: "reference", signals: ["ref"] },
    });
    expect(parentsOf(spec, "D_t")).toEqual(["Q_t", "S[ref]"]);
  });

  it("grows linearly with the number of signals", () => {
    const signals = Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, kind: "answer-match" }));
    const { dag } = buildFlowGraph(specWith({ signals, selection: { mode: "filter" } }));
    expect(dag.ids.length).toBe(8 + 2 * 50);
    expect(dag.edgeCount).toBe(9 + 6 * 50);
  });
});
