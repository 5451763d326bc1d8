import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OpenloopError } from "../../../src/errors.js";
import { verify } from "../../../src/run/verifiers/verify.js";
import { verifierConfigSchema } from "../../../src/spec/verifier-config.js";

const config = (input: unknown) => verifierConfigSchema.parse(input);
const dir = mkdtempSync(join(tmpdir(), "openloop-verifiers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("regex and contains", () => {
  it.each([
    [{ type: "regex", pattern: "^\\d+$" }, "42", true],
    [{ type: "regex", pattern: "^\\d+$" }, "4 2", false],
    [{ type: "regex", pattern: "^yes$", flags: "im" }, "no\nYES", true],
    [{ type: "contains", values: ["alpha", "beta"] }, "alpha and beta", true],
    [{ type: "contains", values: ["alpha", "beta"] }, "alpha only", false],
    [{ type: "contains", values: ["alpha", "beta"], mode: "any" }, "alpha only", true],
    [{ type: "contains", values: ["ALPHA"], case_insensitive: true }, "alpha", true],
  ])("%j on %j -> %s", async (input, response, pass) => {
    expect((await verify(config(input), { response })).pass).toBe(pass);
  });

  it("scores contains by the fraction of values found", async () => {
    const verdict = await verify(config({ type: "contains", values: ["a", "b", "c", "d"] }), {
      response: "a c",
    });
    expect(verdict).toEqual({ pass: false, score: 0.5, reason: 'missing "b", "d"' });
  });

  it("reads another field and reports a missing one", async () => {
    const c = config({ type: "regex", pattern: "ok", field: "answer" });
    expect(await verify(c, { answer: "ok" })).toEqual({ pass: true });
    expect((await verify(c, { response: "ok" })).reason).toMatch(/no field 'answer'/);
  });
});

describe("schema", () => {
  const schema = {
    type: "object",
    properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
    required: ["name", "age"],
    additionalProperties: false,
  };
  it.each([
    ['{"name": "Ada", "age": 36}', true, undefined],
    ['```json\n{"name": "Ada", "age": 36}\n```', true, undefined],
    ['{"name": "Ada", "age": -1}', false, /\/age must be >= 0/],
    ['{"name": "Ada"}', false, /must have required property 'age'/],
    ["not json", false, /not JSON/],
  ])("%j -> %s", async (response, pass, reason) => {
    const verdict = await verify(config({ type: "schema", schema }), { response });
    expect(verdict.pass).toBe(pass);
    if (reason) expect(verdict.reason).toMatch(reason);
  });

  it("loads a schema file relative to baseDir, and 2020-12 schemas", async () => {
    writeFileSync(
      join(dir, "s.json"),
      JSON.stringify({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        prefixItems: [{ type: "number" }],
      }),
    );
    const c = config({ type: "schema", schema: "s.json" });
    expect((await verify(c, { response: "[1]" }, { baseDir: dir })).pass).toBe(true);
    expect((await verify(c, { response: '["x"]' }, { baseDir: dir })).pass).toBe(false);
  });

  it("throws an input error for a missing schema file", async () => {
    const c = config({ type: "schema", schema: "missing.json" });
    await expect(verify(c, { response: "{}" }, { baseDir: dir })).rejects.toBeInstanceOf(OpenloopError);
  });
});

describe("command", () => {
  const script = join(dir, "check.py");
  writeFileSync(
    script,
    [
      "import json, sys",
      "r = json.load(sys.stdin)",
      "if r.get('mode') == 'json':",
      "    print(json.dumps({'pass': r['response'] == 'good', 'score': 0.25}))",
      "elif r.get('mode') == 'sleep':",
      "    import time; time.sleep(30)",
      "else:",
      "    sys.exit(0 if r['response'] == 'good' else 3)",
    ].join("\n"),
  );
  const c = (timeout = 10) =>
    config({ type: "command", argv: ["/usr/bin/python3", script], timeout_s: timeout });

  it.each([
    [{ response: "good" }, { pass: true }],
    [{ response: "bad" }, { pass: false, reason: "exit code 3" }],
    [
      { response: "good", mode: "json" },
      { pass: true, score: 0.25 },
    ],
    [
      { response: "bad", mode: "json" },
      { pass: false, score: 0.25, reason: "exit code 0" },
    ],
  ])("record %j -> %j", async (record, expected) => {
    expect(await verify(c(), record)).toEqual(expected);
  });

  it("times out and kills the program", async () => {
    const verdict = await verify(c(0.5), { response: "x", mode: "sleep" });
    expect(verdict).toMatchObject({ pass: false, status: "timeout" });
  });

  it("throws an input error when the program does not exist", async () => {
    const missing = config({ type: "command", argv: ["/nonexistent/checker"] });
    await expect(verify(missing, { response: "x" })).rejects.toMatchObject({ code: "input" });
  });
});
