/** Builds resolved specs for audit tests from a few overrides of a minimal loop. */
import { stringify } from "yaml";
import { type PipelineSpec, parseSpec } from "../../src/spec/index.js";

/** A minimal valid spec (student, fixed real prompts, no signals, pure self-training) with overrides. */
export function specWith(overrides: Record<string, unknown>): PipelineSpec {
  const base: Record<string, unknown> = {
    version: 1,
    name: "test",
    iterations: 3,
    task: { name: "t" },
    prompts: { source: "fixed", origin: "real", count: 100 },
    generator: { role: "student" },
    signals: [],
    selection: { mode: "none" },
  };
  return parseSpec(stringify({ ...base, ...overrides }), { file: "test.yaml" });
}
