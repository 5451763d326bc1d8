/**
 * The JSON Schema of the pipeline spec (draft 2020-12), generated from the zod schema, for
 * editors and other tools. Cross-field rules (unique names, mode requirements) are checked by
 * `parseSpec` only.
 */
import { z } from "zod";
import { pipelineSpecSchema } from "./schema.js";

/** The JSON Schema of a spec as written (fields with defaults are optional). */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(pipelineSpecSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: "urn:openloop:pipeline-spec:1",
    title: "openloop pipeline spec, version 1",
  };
}
