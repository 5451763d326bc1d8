/**
 * Loads a pipeline spec from YAML or JSON text: parses with node positions kept, validates with
 * the one zod schema, and reports every problem with its YAML path and line
 * (`spec.yaml:14 signals[1].model: expected 'fixed' | 'student' | 'trained-on-student', got 'teacher'`).
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { OpenloopError } from "../errors.js";
import { formatPath, issueMessage, type SpecIssue } from "./issues.js";
import { locate } from "./locate.js";
import { type PipelineSpec, resolveSpec } from "./resolve.js";
import { pipelineSpecSchema } from "./schema.js";

/** The outcome of checking a spec: the resolved spec, or the list of problems. */
export type SpecCheck = { ok: true; spec: PipelineSpec } | { ok: false; issues: SpecIssue[] };

/**
 * Checks spec text without throwing: YAML syntax, then the schema, every issue located.
 * @example checkSpec("version: 1\n").ok // false
 */
export function checkSpec(text: string): SpecCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        return {
          path: "",
          segments: [],
          line: pos?.line,
          column: pos?.col,
          message: `YAML syntax: ${error.message.split("\n")[0]}`,
        };
      }),
    };
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const result = pipelineSpecSchema.safeParse(data ?? {}, { reportInput: true });
  if (result.success) return { ok: true, spec: resolveSpec(result.data) };
  const issues = result.error.issues.flatMap((issue): SpecIssue[] => {
    const segments = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const pos = locate(doc, lineCounter, segments, key);
        return {
          path: formatPath([...segments, key]),
          segments: [...segments, key],
          line: pos?.line,
          column: pos?.column,
          message: `unknown field '${key}'`,
        };
      });
    }
    const pos = locate(doc, lineCounter, segments);
    return [
      {
        path: formatPath(segments),
        segments,
        line: pos?.line,
        column: pos?.column,
        message: issueMessage(issue),
      },
    ];
  });
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, issues };
}

/** One issue as `file:line path: message`. */
export function formatSpecIssue(issue: SpecIssue, file = "spec"): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}`;
  return issue.path === "" ? `${where}: ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

/**
 * Parses and validates spec text; throws an `OpenloopError` (code `spec`) naming the file, line
 * and YAML path of the first problem, with the others in the hint.
 * @example parseSpec(readFileSync("spec.yaml", "utf8"), { file: "spec.yaml" })
 */
export function parseSpec(text: string, options: { file?: string } = {}): PipelineSpec {
  const check = checkSpec(text);
  if (check.ok) return check.spec;
  const [first, ...rest] = check.issues;
  const file = options.file ?? "spec";
  const hint =
    rest.length > 0
      ? `also ${rest.map((issue) => formatSpecIssue(issue, file)).join("; ")}`
      : "run `openloop schema` for the full schema; docs/spec.md describes every field";
  throw new OpenloopError("spec", first.message, {
    where: { file, line: first.line, path: first.path === "" ? undefined : first.path },
    hint,
  });
}

/** Reads and parses a spec file (YAML or JSON). */
export function loadSpec(file: string): PipelineSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new OpenloopError("io", `cannot read spec: ${why}`, { where: { file } });
  }
  return parseSpec(text, { file });
}
