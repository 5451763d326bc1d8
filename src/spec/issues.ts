/**
 * Turns zod validation issues into short messages a user can act on: the path as written in the
 * spec (`signals[1].model`) and what was expected (`expected 'fixed' | 'student', got 'teacher'`).
 */
import type { z } from "zod";

/** One validation problem of a spec, located in its source text when possible. */
export interface SpecIssue {
  /** The path as written in the spec, e.g. `signals[1].model` (empty for the document root). */
  path: string;
  /** The raw path segments. */
  segments: (string | number)[];
  /** 1-based line in the source text, when known. */
  line?: number;
  /** 1-based column in the source text, when known. */
  column?: number;
  message: string;
}

/** Formats path segments as `a.b[1].c`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${String(value)}`;
}

function choices(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? `'${v}'` : String(v))).join(" | ");
}

const typeNames: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
};

/** The message for one zod issue (without its path). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_value":
      if (input === undefined) return `required field is missing (expected ${choices(issue.values)})`;
      return `expected ${choices(issue.values)}, got ${describe(input)}`;
    case "invalid_union": {
      const discriminated = issue as { discriminator?: string; options?: unknown[] };
      if (discriminated.discriminator !== undefined && discriminated.options !== undefined) {
        const got =
          input !== null && typeof input === "object"
            ? (input as Record<string, unknown>)[discriminated.discriminator]
            : input;
        return `expected ${choices(discriminated.options)}, got ${describe(got)}`;
      }
      return "does not match any allowed form";
    }
    case "invalid_type": {
      const expected = typeNames[issue.expected] ?? issue.expected;
      if (input === undefined) return `required field is missing (expected ${expected})`;
      return `expected ${expected}, got ${describe(input)}`;
    }
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `needs at least ${issue.minimum} item(s)`
        : issue.origin === "string"
          ? "must not be empty"
          : `must be ${issue.inclusive === false ? ">" : ">="} ${issue.minimum}, got ${describe(input)}`;
    case "too_big":
      return `must be ${issue.inclusive === false ? "<" : "<="} ${issue.maximum}, got ${describe(input)}`;
    default:
      return issue.message;
  }
}
