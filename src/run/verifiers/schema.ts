/**
 * The `schema` verifier: the field, parsed as JSON (a ```json fence is unwrapped), must
 * validate against a JSON Schema (draft-07 by default, 2020-12 when its `$schema` says so),
 * checked with ajv 8. `format` keywords are not validated.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { OpenloopError } from "../../errors.js";
import type { SchemaVerifierConfig } from "../../spec/index.js";
import { textField, type Verdict, type VerifierRecord, type VerifyOptions } from "./types.js";

const validators = new WeakMap<SchemaVerifierConfig, ValidateFunction>();

function loadSchema(config: SchemaVerifierConfig, options: VerifyOptions): Record<string, unknown> {
  if (typeof config.schema !== "string") return config.schema;
  const path = isAbsolute(config.schema) ? config.schema : resolve(options.baseDir ?? ".", config.schema);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new OpenloopError("io", `cannot read the JSON Schema: ${(error as Error).message}`, {
      where: { file: path },
    });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new OpenloopError("input", `the JSON Schema is not valid JSON: ${(error as Error).message}`, {
      where: { file: path },
    });
  }
}

/** Compiles (once per config) the validator of `config.schema`. */
export function compileSchema(config: SchemaVerifierConfig, options: VerifyOptions = {}): ValidateFunction {
  const cached = validators.get(config);
  if (cached !== undefined) return cached;
  const schema = loadSchema(config, options);
  const modern = typeof schema.$schema === "string" && schema.$schema.includes("2020-12");
  const settings = { allErrors: true, strict: false, validateFormats: false };
  let validate: ValidateFunction;
  try {
    validate = modern ? new Ajv2020(settings).compile(schema) : new Ajv(settings).compile(schema);
  } catch (error) {
    throw new OpenloopError("input", `invalid JSON Schema: ${(error as Error).message}`, {
      where: typeof config.schema === "string" ? { file: config.schema } : { path: "schema" },
    });
  }
  validators.set(config, validate);
  return validate;
}

/** The JSON text of a response: the first ```json (or bare ```) fence, else the whole text. */
function jsonText(response: string): string {
  const fence = /```(?:json)?[^\n]*\n([\s\S]*?)```/.exec(response);
  return (fence ? fence[1] : response).trim();
}

/**
 * Passes when the field parses as JSON and validates against the schema.
 * @example verifySchema({ type: "schema", schema: { type: "object" }, field: "response" }, { response: "{}" }) // { pass: true }
 */
export function verifySchema(
  config: SchemaVerifierConfig,
  record: VerifierRecord,
  options: VerifyOptions = {},
): Verdict {
  const validate = compileSchema(config, options);
  const response = textField(record, config.field);
  if (response === undefined) return { pass: false, reason: `record has no field '${config.field}'` };
  let data: unknown;
  try {
    data = JSON.parse(jsonText(response));
  } catch (error) {
    return { pass: false, reason: `not JSON: ${(error as Error).message}` };
  }
  if (validate(data)) return { pass: true };
  const errors = (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
    .join("; ");
  return { pass: false, reason: errors };
}
