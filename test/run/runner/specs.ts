/** Small pipeline specs for the run tests, written into a temporary directory. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary directory for one test. */
export function tempDir(prefix = "openloop-run-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A built-in RFT spec on the `count` task. */
export function builtinSpec(
  options: { iterations?: number; prompts?: number; n?: number; mode?: string; realData?: string } = {},
): string {
  const mode = options.mode ?? "filter";
  return `version: 1
name: test-builtin
seed: 11
iterations: ${options.iterations ?? 3}
task: { name: count, builtin: count, acceptable_forms: 2 }
prompts: { source: procedural, origin: real, count: ${options.prompts ?? 24}, builtin: count }
generator:
  role: student
  samples_per_prompt: ${options.n ?? 8}
  builtin: { task: count, temperature: 1 }
signals:
  - name: correct
    kind: answer-match
    verifier: { type: math, extract: last-number }
selection: { mode: ${mode}, signals: [correct]${mode === "filter" ? ", threshold: 1" : ""} }
${options.realData === undefined ? "" : `real_data: ${options.realData}\n`}`;
}

/** An endpoint spec against `baseUrl`, with prompts from a JSONL file written next to it. */
export function endpointSpec(dir: string, baseUrl: string, extra: Record<string, string> = {}): string {
  const prompts = Array.from({ length: extra.prompts ? Number(extra.prompts) : 6 }, (_, i) =>
    JSON.stringify({ prompt_id: `q${i}`, prompt: `question ${i}`, gold: "0" }),
  ).join("\n");
  writeFileSync(join(dir, "prompts.jsonl"), `${prompts}\n`);
  return `version: 1
name: test-endpoint
seed: 5
iterations: ${extra.iterations ?? 1}
task: { name: echo }
prompts: { source: fixed, origin: real, path: prompts.jsonl }
generator:
  role: teacher
  samples_per_prompt: ${extra.n ?? 4}
  endpoint:
    base_url: ${baseUrl}
    model: test-model
    seed: 5
    timeout_s: ${extra.timeout ?? 5}
${extra.apiKeyEnv ? `    api_key_env: ${extra.apiKeyEnv}\n` : ""}signals:
  - name: ends_zero
    kind: format-check
    verifier: { type: regex, pattern: "\\\\.[02]$" }
selection: { mode: ${extra.mode ?? "filter"}, signals: [ends_zero] }
`;
}

/** Writes `text` as DIR/spec.yaml and returns its path. */
export function writeSpec(dir: string, text: string, name = "spec.yaml"): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
