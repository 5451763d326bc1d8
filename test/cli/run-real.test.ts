/**
 * `openloop run` with `real_data`, on the built binary: the ledger table's `real` column, and
 * every bad real-data input as a one-line located error with exit code 2 (no real data to mix, a
 * missing file, malformed JSON, a row without a response, a prompt the built-in task does not train on).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runOpenloop } from "../helpers/cli.js";
import { builtinSpec, tempDir, writeSpec } from "../run/runner/specs.js";

describe("openloop run with real data", () => {
  const dir = tempDir();

  it("prints a real column in the ledger table and the JSON ledger's real_samples", () => {
    const spec = writeSpec(
      dir,
      builtinSpec({ iterations: 2, prompts: 12, n: 4, realData: "{ mode: once, count: 7 }" }),
      "once.yaml",
    );
    const table = runOpenloop(["run", spec, "--out", join(dir, "once")]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("iteration"));
    expect(lines[header].split(/\s+/).slice(0, 5)).toEqual([
      "iteration",
      "samples",
      "errors",
      "accept",
      "real",
    ]);
    expect(lines[header + 2].trim().split(/\s+/)[4]).toBe("7");
    expect(lines[header + 3].trim().split(/\s+/)[4]).toBe("0");
    const json = runOpenloop(["run", spec, "--out", join(dir, "once-json"), "--json"]);
    const ledger = JSON.parse(json.stdout).ledger;
    expect(ledger.iterations.map((it: { real_samples: number }) => it.real_samples)).toEqual([7, 0]);
    const none = runOpenloop([
      "run",
      writeSpec(dir, builtinSpec({ iterations: 1, prompts: 4 }), "none.yaml"),
      "--out",
      join(dir, "none"),
    ]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).not.toMatch(/\breal\b/);
  });

  it("real data with neither real_data.path nor a built-in task: exit 2 naming real_data.path", () => {
    writeFileSync(join(dir, "prompts.jsonl"), '{"prompt": "q"}\n');
    const spec = writeSpec(
      dir,
      `version: 1
name: no-real
iterations: 1
task: { name: t }
prompts: { source: fixed, origin: real, path: prompts.jsonl }
generator:
  role: teacher
  endpoint: { base_url: "http://127.0.0.1:9/v1", model: m }
selection: { mode: none }
real_data: { mode: accumulate, count: 5 }
`,
      "no-real.yaml",
    );
    const r = runOpenloop(["run", spec, "--out", join(dir, "no-real")]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/no-real\.yaml.* real_data\.path: real_data mode 'accumulate' needs real data/);
  });

  it.each([
    ["a missing file", "absent.jsonl", undefined, /absent\.jsonl: file not found/],
    [
      "malformed JSON",
      "bad.jsonl",
      '{"prompt": "How many 1s are in 1011011000?", "response": "5"}\n{"prompt": oops\n',
      /bad\.jsonl:2: malformed JSON/,
    ],
    [
      "a row without a response",
      "short.jsonl",
      '{"prompt": "How many 1s are in 1011011000?", "response": "5"}\n\n{"prompt": "x"}\n',
      /short\.jsonl:3 column 'response': a real data row with 'prompt' needs a text 'response'/,
    ],
    [
      "a chat record without the assistant's response",
      "chat.jsonl",
      '{"messages": [{"role": "user", "content": "How many 1s are in 1011011000?"}]}\n',
      /chat\.jsonl:1 column 'messages': a real chat record needs a user message and ends with the assistant's response/,
    ],
    [
      "a prompt the built-in task does not train on",
      "other.csv",
      "prompt,response\nWhat is the capital of France?,Paris\n",
      /other\.csv:2: the real sample's prompt is not a training prompt of the built-in task/,
    ],
  ])("%s: exit 2 with the file and line", (_, name, content, message) => {
    if (content !== undefined) writeFileSync(join(dir, name), content);
    const spec = writeSpec(
      dir,
      builtinSpec({ iterations: 1, prompts: 4, realData: `{ mode: replace, path: ${name} }` }),
      `${name}.yaml`,
    );
    const r = runOpenloop(["run", spec, "--out", join(dir, `out-${name}`)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
