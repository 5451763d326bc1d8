import { describe, expect, it } from "vitest";
import { verifierConfigSchema } from "../../../src/spec/verifier-config.js";

describe("verifierConfigSchema", () => {
  it.each([
    [{ type: "math" }, { extract: "auto", strip_units: false, gold: "gold", field: "response" }],
    [
      { type: "code", lang: "python", tests: { path: "t.py" } },
      { timeout_s: 10, memory_mb: 512 },
    ],
    [
      { type: "contains", values: ["a"] },
      { mode: "all", case_insensitive: false },
    ],
    [{ type: "regex", pattern: "^\\d+$" }, { flags: "" }],
    [
      { type: "judge", base_url: "http://127.0.0.1:1/v1", model: "m", rubric: "r" },
      { threshold: 0.5, timeout_s: 60 },
    ],
    [{ type: "command", argv: ["true"] }, { timeout_s: 30 }],
    [{ type: "schema", schema: { type: "object" } }, { field: "response" }],
  ])("accepts %j and fills defaults", (input, defaults) => {
    const parsed = verifierConfigSchema.parse(input);
    expect(parsed).toMatchObject(defaults);
  });

  it.each([
    [{ type: "judge", base_url: "http://x/v1", rubric: "r" }, "model"],
    [{ type: "regex", pattern: "(" }, "pattern"],
    [{ type: "code", lang: "ruby", tests: { path: "t" } }, "lang"],
    [{ type: "code", lang: "python", tests: { path: "t", inline: "x" } }, "tests"],
    [{ type: "command", argv: [] }, "argv"],
    [{ type: "math", extract: "first" }, "extract"],
    [{ type: "oracle" }, "type"],
  ])("rejects %j at %s", (input, path) => {
    const result = verifierConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(path);
  });
});
