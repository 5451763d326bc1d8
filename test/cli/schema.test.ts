import { describe, expect, it } from "vitest";
import { runOpenloop } from "../helpers/cli.js";

describe("openloop schema", () => {
  it("prints the spec's JSON Schema as one JSON document", () => {
    const result = runOpenloop(["schema"]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as {
      $schema: string;
      title: string;
      properties: {
        signals: { items: { properties: { kind: { enum: string[] }; model: { enum: string[] } } } };
      };
    };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.title).toBe("openloop pipeline spec, version 1");
    expect(schema.properties.signals.items.properties.model.enum).toEqual([
      "fixed",
      "student",
      "trained-on-student",
    ]);
    expect(schema.properties.signals.items.properties.kind.enum).toContain("majority-vote");
  });

  it("shows examples in its help", () => {
    const result = runOpenloop(["schema", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("$ openloop schema > openloop-spec.schema.json");
  });
});
