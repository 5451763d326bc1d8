/**
 * The configuration of an external verifier, as it appears in a pipeline spec and as the
 * library's verifiers take it: a zod schema discriminated on `type`. Pure (no I/O): paths are
 * only named here; the run layer reads them.
 */
import { z } from "zod";

/** The record field a verifier reads its input from (default: the response). */
const field = z
  .string()
  .min(1)
  .default("response")
  .describe("record field that holds the text to check (default: response)");

const positiveSeconds = (fallback: number) =>
  z.number().positive().max(86_400).default(fallback).describe("wall-clock limit in seconds");

/** `math`: extract the final answer and compare it with a gold answer. */
export const mathVerifierSchema = z.strictObject({
  type: z.literal("math"),
  extract: z
    .enum(["boxed", "answer", "last-number", "auto"])
    .default("auto")
    .describe("how the final answer is found in the response; auto tries boxed, answer:, last number"),
  strip_units: z.boolean().default(false).describe("drop trailing units such as 'cm' or '\\text{dollars}'"),
  gold: z.string().min(1).default("gold").describe("record field that holds the gold answer"),
  field,
});

/** Where the tests of a `code` verifier come from: a file, inline text, or a record field. */
export const codeTestsSchema = z.union([
  z.strictObject({ path: z.string().min(1).describe("file with the tests") }),
  z.strictObject({ inline: z.string().min(1).describe("the tests themselves") }),
  z.strictObject({ field: z.string().min(1).describe("record field that holds the tests") }),
]);

/** `code`: run the response's program against tests in the sandbox. */
export const codeVerifierSchema = z.strictObject({
  type: z.literal("code"),
  lang: z.enum(["python", "javascript"]),
  tests: codeTestsSchema,
  timeout_s: positiveSeconds(10),
  memory_mb: z.number().int().min(16).max(65_536).default(512).describe("address-space limit in MiB"),
  field,
});

/** `schema`: the response (parsed as JSON) must validate against a JSON Schema. */
export const schemaVerifierSchema = z.strictObject({
  type: z.literal("schema"),
  schema: z
    .union([z.record(z.string(), z.unknown()), z.string().min(1)])
    .describe("a JSON Schema object, or the path of a file holding one"),
  field,
});

/** `regex`: the response must match a regular expression. */
export const regexVerifierSchema = z
  .strictObject({
    type: z.literal("regex"),
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsuv]*$/, "flags may only contain i, m, s, u, v")
      .default(""),
    field,
  })
  .superRefine((value, ctx) => {
    try {
      new RegExp(value.pattern, value.flags);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `invalid regular expression: ${(error as Error).message}`,
      });
    }
  });

/** `contains`: the response must contain all (or any) of the given strings. */
export const containsVerifierSchema = z.strictObject({
  type: z.literal("contains"),
  values: z.array(z.string().min(1)).min(1),
  mode: z.enum(["all", "any"]).default("all"),
  case_insensitive: z.boolean().default(false),
  field,
});

/** `judge`: a fixed LLM judge over an OpenAI-compatible chat-completions endpoint. */
export const judgeVerifierSchema = z.strictObject({
  type: z.literal("judge"),
  base_url: z.url().describe("OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1"),
  model: z
    .string()
    .min(1)
    .describe("the judge model; must be named so the audit can tell it from the student"),
  api_key_env: z.string().min(1).optional().describe("environment variable holding the API key"),
  rubric: z.string().min(1),
  threshold: z.number().min(0).max(1).default(0.5).describe("pass when score >= threshold (score in [0,1])"),
  timeout_s: positiveSeconds(60),
  field,
});

/** `command`: any program; gets the record as JSON on stdin, answers by exit code or JSON. */
export const commandVerifierSchema = z.strictObject({
  type: z.literal("command"),
  argv: z.array(z.string().min(1)).min(1).describe("program and arguments (no shell)"),
  timeout_s: positiveSeconds(30),
});

/** Any verifier configuration, discriminated on `type`. */
export const verifierConfigSchema = z.discriminatedUnion("type", [
  mathVerifierSchema,
  codeVerifierSchema,
  schemaVerifierSchema,
  regexVerifierSchema,
  containsVerifierSchema,
  judgeVerifierSchema,
  commandVerifierSchema,
]);

export type VerifierConfig = z.infer<typeof verifierConfigSchema>;
export type VerifierConfigInput = z.input<typeof verifierConfigSchema>;
export type VerifierKind = VerifierConfig["type"];
export type MathVerifierConfig = z.infer<typeof mathVerifierSchema>;
export type CodeVerifierConfig = z.infer<typeof codeVerifierSchema>;
export type CodeTests = z.infer<typeof codeTestsSchema>;
export type SchemaVerifierConfig = z.infer<typeof schemaVerifierSchema>;
export type RegexVerifierConfig = z.infer<typeof regexVerifierSchema>;
export type ContainsVerifierConfig = z.infer<typeof containsVerifierSchema>;
export type JudgeVerifierConfig = z.infer<typeof judgeVerifierSchema>;
export type CommandVerifierConfig = z.infer<typeof commandVerifierSchema>;

/** The verifier kinds, in a stable order. */
export const verifierKinds: readonly VerifierKind[] = [
  "math",
  "code",
  "schema",
  "regex",
  "contains",
  "judge",
  "command",
];
