import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { specJsonSchema } from "../../src/spec/index.js";

const dir = fileURLToPath(new URL("../../examples/pipelines/", import.meta.url));
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validate = ajv.compile(specJsonSchema());

describe("the JSON Schema of the spec", () => {
  it("is a draft 2020-12 schema with the top-level fields", () => {
    const schema = specJsonSchema() as {
      $schema: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        "version",
        "iterations",
        "task",
        "prompts",
        "generator",
        "signals",
        "selection",
        "real_data",
      ]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["version", "name", "iterations", "selection"]));
    expect(schema.required).not.toContain("signals");
  });

  it.each(readdirSync(dir).filter((f) => f.endsWith(".yaml")))("accepts catalog spec %s", (file) => {
    const ok = validate(parse(readFileSync(`${dir}${file}`, "utf8")));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ["an unknown signal model", { model: "teacher" }],
    ["an unknown kind", { kind: "oracle" }],
    ["an extra field", { colour: "red" }],
  ])("rejects %s", (_name, patch) => {
    const spec = parse(readFileSync(`${dir}star.yaml`, "utf8")) as { signals: Record<string, unknown>[] };
    spec.signals[0] = { ...spec.signals[0], ...patch };
    expect(validate(spec)).toBe(false);
  });
});
