import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { checkSpec, formatSpecIssue, parseSpec } from "../../src/spec/index.js";

const valid = `version: 1
name: loop
iterations: 2
task:
  name: gsm8k
prompts:
  source: fixed
  origin: real
generator:
  role: student
signals:
  - name: correct
    kind: answer-match
  - name: judge
    kind: rubric-judge
selection:
  mode: filter
`;

/** Replaces one line of the valid spec (1-based) and returns the issues. */
function issuesWith(line: number, replacement: string) {
  const lines = valid.split("\n");
  lines[line - 1] = replacement;
  const check = checkSpec(lines.join("\n"));
  if (check.ok) throw new Error("expected the spec to be invalid");
  return check.issues.map((issue) => formatSpecIssue(issue, "spec.yaml"));
}

describe("spec validation errors name the YAML path and the line", () => {
  it.each([
    [
      15,
      "    kind: rubric-judge\n    model: teacher",
      "spec.yaml:16 signals[1].model: expected 'fixed' | 'student' | 'trained-on-student', got 'teacher'",
    ],
    [15, "    kind: oracle", "spec.yaml:15 signals[1].kind: expected 'tests' | 'proof-checker' |"],
    [
      7,
      "  source: sometimes",
      "spec.yaml:7 prompts.source: expected 'fixed' | 'procedural', got 'sometimes'",
    ],
    [3, "iterations: 0", "spec.yaml:3 iterations: must be >= 1, got number 0"],
    [3, "iterations: 2.5", "spec.yaml:3 iterations: expected a whole number, got number 2.5"],
    [3, "iterationz: 2", "spec.yaml:3 iterationz: unknown field 'iterationz'"],
    [1, "version: 2", "spec.yaml:1 version: expected 1, got number 2"],
    [
      15,
      "    kind: rubric-judge\n    range: {type: ordinal}",
      "spec.yaml:16 signals[1].range.type: expected 'binary' | 'scalar' | 'class' | 'reference', got 'ordinal'",
    ],
    [10, "  role: oracle", "spec.yaml:10 generator.role: expected 'student' | 'teacher', got 'oracle'"],
  ])("line %i '%s'", (line, replacement, message) => {
    expect(issuesWith(line, replacement)).toContainEqual(expect.stringContaining(message));
  });

  it("a missing required field points at its enclosing mapping", () => {
    const text = valid.replace("  role: student\n", "  samples_per_prompt: 2\n");
    const check = checkSpec(text);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(formatSpecIssue(check.issues[0], "s.yaml")).toBe(
        "s.yaml:10 generator.role: required field is missing (expected 'student' | 'teacher')",
      );
    }
  });

  it.each([
    [
      "duplicate names",
      valid.replace("name: judge", "name: correct"),
      "spec.yaml:14 signals[1].name: duplicate signal name 'correct'",
    ],
    [
      "an unknown signal in selection",
      `${valid}  signals: [correct, nope]\n`,
      "spec.yaml:18 selection.signals[1]: no signal named 'nope' (signals: correct, judge)",
    ],
    [
      "a reward model without trained_on",
      valid.replace("kind: rubric-judge", "kind: reward-model"),
      "spec.yaml:14 signals[1].trained_on: a reward model needs trained_on",
    ],
    [
      "a random reward computed by the student",
      valid.replace("kind: rubric-judge", "kind: random\n    model: student"),
      "spec.yaml:16 signals[1].model: a random reward is computed by no model",
    ],
    [
      "a grounded random reward",
      valid.replace("kind: rubric-judge", "kind: random\n    grounded: true"),
      "spec.yaml:16 signals[1].grounded: a random reward depends only on its own noise",
    ],
    [
      "fraction without its share",
      `${valid}real_data:\n  mode: fraction\n`,
      "spec.yaml:19 real_data.fraction: real_data mode 'fraction' needs fraction",
    ],
    [
      "filter without signals",
      valid.replace(/signals:\n[\s\S]*?selection/, "selection"),
      "spec.yaml:12 selection.mode: selection mode 'filter' needs at least one signal",
    ],
  ])("cross-field rule: %s", (_name, text, message) => {
    const check = checkSpec(text);
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.issues.map((i) => formatSpecIssue(i, "spec.yaml"))).toContainEqual(
        expect.stringContaining(message),
      );
  });

  it.each([
    ["an empty file", "", "spec.yaml version: required field is missing (expected 1)"],
    ["a list", "- 1\n- 2\n", "spec.yaml:1: expected a mapping, got a list"],
  ])("rejects %s", (_name, text, message) => {
    const check = checkSpec(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(formatSpecIssue(check.issues[0], "spec.yaml")).toBe(message);
  });

  it("reports YAML syntax errors with their line", () => {
    const check = checkSpec("version: 1\nname: [unclosed\niterations: 2\n");
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.issues[0].message).toMatch(/^YAML syntax/);
      expect(check.issues[0].line).toBeGreaterThanOrEqual(2);
    }
  });

  it("parseSpec throws an OpenloopError with file, line, path and the other issues in the hint", () => {
    const text = valid
      .replace("    model: x", "")
      .replace("kind: rubric-judge", "kind: rubric-judge\n    model: x")
      .replace("role: student", "role: y");
    try {
      parseSpec(text, { file: "spec.yaml" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OpenloopError);
      const e = error as OpenloopError;
      expect(e.code).toBe("spec");
      expect(e.where).toEqual({ file: "spec.yaml", line: 10, path: "generator.role" });
      expect(e.hint).toContain(
        "spec.yaml:16 signals[1].model: expected 'fixed' | 'student' | 'trained-on-student', got 'x'",
      );
    }
  });

  it("accepts JSON as well as YAML", () => {
    const check = checkSpec(
      JSON.stringify({
        version: 1,
        name: "j",
        iterations: 1,
        task: { name: "t" },
        prompts: { source: "procedural", origin: "real" },
        generator: { role: "teacher" },
        selection: { mode: "reference" },
      }),
    );
    expect(check.ok).toBe(true);
  });
});

describe("resolved specs", () => {
  it("fills defaults from the schema and from each signal's kind", () => {
    const spec = parseSpec(valid);
    expect(spec.real_data).toEqual({ mode: "none", fresh: false });
    expect(spec.task.acceptable_forms).toBe(1);
    expect(spec.generator.samples_per_prompt).toBe(1);
    expect(spec.signals.map((s) => [s.name, s.model, s.range.type, s.grounded, s.surface])).toEqual([
      ["correct", "fixed", "binary", true, false],
      ["judge", "fixed", "scalar", true, true],
    ]);
  });

  it("a reward model trained on the student's outputs defaults to trained-on-student", () => {
    const spec = parseSpec(
      valid.replace("kind: rubric-judge", "kind: reward-model\n    trained_on: student-outputs"),
    );
    expect(spec.signals[1].model).toBe("trained-on-student");
  });

  it("a reference takes its number of forms from the task", () => {
    const spec = parseSpec(
      valid
        .replace("  name: gsm8k", "  name: gsm8k\n  acceptable_forms: 12")
        .replace("kind: rubric-judge", "kind: reference"),
    );
    expect(spec.signals[1].range).toEqual({ type: "reference", forms: 12 });
  });

  it("keeps the verifier configuration for run, validated by its own schema", () => {
    const spec = parseSpec(
      valid.replace("kind: answer-match", "kind: answer-match\n    verifier: {type: math, extract: boxed}"),
    );
    expect(spec.signals[0].verifier).toMatchObject({ type: "math", extract: "boxed", gold: "gold" });
    const check = checkSpec(
      valid.replace("kind: answer-match", "kind: answer-match\n    verifier: {type: telepathy}"),
    );
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(formatSpecIssue(check.issues[0], "s.yaml")).toMatch(
        /^s\.yaml:14 signals\[0\]\.verifier\.type: expected 'math'/,
      );
  });
});
