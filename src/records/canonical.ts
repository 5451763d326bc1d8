/**
 * Canonicalisers: derive a response's equivalence class ([Y], e.g. its final answer) from a
 * text field when the log has no class column: `--class-from response:last-number`,
 * `:boxed`, `:exact`, `:trimmed-lower`. A response with no extractable answer gets the class
 * `NO_ANSWER`.
 */
import { OpenloopError } from "../errors.js";

/** The canonicaliser names. */
export const CANONICALISERS = ["last-number", "boxed", "exact", "trimmed-lower"] as const;

/** A canonicaliser name. */
export type Canonicaliser = (typeof CANONICALISERS)[number];

/** The class of a response from which no answer could be extracted. */
export const NO_ANSWER = "(no answer)";

/** A parsed `--class-from FIELD:NAME`. */
export interface ClassFrom {
  field: "response" | "prompt" | "class";
  canonicaliser: Canonicaliser;
}

const NUMBER = /[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/g;

/** The last number in `text`, normalised (no thousands separators, no trailing zeros, -0 -> 0). */
export function lastNumber(text: string): string | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(NUMBER)) last = match[0];
  if (last === undefined) return undefined;
  const cleaned = last.replaceAll(",", "");
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return cleaned;
  return Object.is(value, -0) ? "0" : String(value);
}

/** The content of the last `\boxed{...}` in `text` (balanced braces), whitespace removed. */
export function boxedAnswer(text: string): string | undefined {
  const start = text.lastIndexOf("\\boxed{");
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start + 6; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return text.slice(start + 7, i).replace(/\s+/g, "");
    }
  }
  return undefined;
}

/**
 * The class of `text` under canonicaliser `name`.
 * @example canonicalise("so the answer is 1,200.", "last-number") // "1200"
 */
export function canonicalise(text: string, name: Canonicaliser): string {
  switch (name) {
    case "last-number":
      return lastNumber(text) ?? NO_ANSWER;
    case "boxed":
      return boxedAnswer(text) ?? NO_ANSWER;
    case "exact":
      return text;
    case "trimmed-lower":
      return text.trim().toLowerCase().replace(/\s+/g, " ");
  }
}

/**
 * Parses `--class-from` (`response:last-number`; the field defaults to `response`).
 * @example parseClassFrom(":boxed") // { field: "response", canonicaliser: "boxed" }
 */
export function parseClassFrom(spec: string): ClassFrom {
  const colon = spec.lastIndexOf(":");
  const field = (colon < 0 ? "response" : spec.slice(0, colon).trim()) || "response";
  const name = colon < 0 ? spec.trim() : spec.slice(colon + 1).trim();
  if (!(CANONICALISERS as readonly string[]).includes(name)) {
    throw new OpenloopError("usage", `unknown canonicaliser '${name}' in --class-from '${spec}'`, {
      hint: `use FIELD:NAME with NAME one of ${CANONICALISERS.join(", ")}, e.g. response:last-number`,
    });
  }
  if (field !== "response" && field !== "prompt" && field !== "class") {
    throw new OpenloopError("usage", `--class-from reads 'response', 'prompt' or 'class', got '${field}'`);
  }
  return { field, canonicaliser: name as Canonicaliser };
}
