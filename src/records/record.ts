/**
 * The rollout record: one row per sampled response. This is the contract between the writers
 * (`run`, `lab`) and `analyze`; see docs/records.md. `loadRolloutRecordSchema` gives the zod
 * schema of a record as written (schema.ts, loaded on first use); `toRolloutRecord` turns a
 * loosely typed row (JSONL, CSV strings, Parquet values, after field mapping) into a record, or
 * throws an `input` error naming what is wrong.
 * A record with an `error` (a generation that failed) needs no signal: it carries no information.
 */
import type { z } from "zod";
import { type ErrorLocation, OpenloopError } from "../errors.js";
import type { RolloutRecordSchema } from "./schema.js";

/** A signal or feature value. */
export type RecordValue = number | boolean | string;

/** One rollout record. */
export type RolloutRecord = z.output<typeof RolloutRecordSchema>;

/** The record fields, in documentation order. */
export const RECORD_FIELDS = [
  "iteration",
  "prompt_id",
  "prompt",
  "response",
  "signals",
  "class",
  "gold",
  "features",
  "accepted",
  "error",
] as const;

/** A record field name. */
export type RecordField = (typeof RECORD_FIELDS)[number];

/**
 * The zod schema of one rollout record (the native field names), loaded on first use: importing
 * the records module does not load zod.
 * @example (await loadRolloutRecordSchema()).safeParse({ prompt_id: "q1", signals: { pass: true } }).success // true
 */
export async function loadRolloutRecordSchema(): Promise<typeof RolloutRecordSchema> {
  return (await import("./schema.js")).RolloutRecordSchema;
}

/**
 * Validates a record to be written (rejects with an `input` error listing the first problem).
 * @example (await parseRolloutRecord({ prompt_id: "q1", signals: { pass: true } })).iteration // 0
 */
export async function parseRolloutRecord(value: unknown, where: ErrorLocation = {}): Promise<RolloutRecord> {
  const result = (await loadRolloutRecordSchema()).safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join(".");
  throw new OpenloopError("input", `invalid rollout record${path ? ` at '${path}'` : ""}: ${issue.message}`, {
    where,
  });
}

const TRUE = new Set(["true", "TRUE", "True", "1", "yes"]);
const FALSE = new Set(["false", "FALSE", "False", "0", "no"]);

function fail(message: string, where: ErrorLocation, column: string): never {
  throw new OpenloopError("input", message, { where: { ...where, column } });
}

/** A value as a signal/feature value: numeric and boolean strings (CSV) become numbers/booleans. */
function coerceValue(value: unknown): RecordValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return undefined;
    if (text === "true" || text === "True" || text === "TRUE") return true;
    if (text === "false" || text === "False" || text === "FALSE") return false;
    const number = Number(text);
    return Number.isFinite(number) && /^[-+]?(\d|\.\d)/.test(text) ? number : value;
  }
  return JSON.stringify(value);
}

function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (Array.isArray(value)) return messagesText(value);
  return JSON.stringify(value);
}

/** Chat messages `[{role, content}]` as text: the contents joined by blank lines. */
function messagesText(messages: unknown[]): string {
  return messages
    .map((m) => (m !== null && typeof m === "object" && "content" in m ? asText(m.content) : asText(m)))
    .join("\n\n");
}

function asBoolean(value: unknown, field: string, where: ErrorLocation): boolean | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "number" && (value === 0 || value === 1)) return value === 1;
  if (typeof value === "string" && TRUE.has(value.trim())) return true;
  if (typeof value === "string" && FALSE.has(value.trim())) return false;
  return fail(`'${field}' must be a boolean (true/false or 1/0), got ${JSON.stringify(value)}`, where, field);
}

function valueMap(value: unknown, field: string, where: ErrorLocation): Record<string, RecordValue> {
  const out: Record<string, RecordValue> = {};
  if (value === null || value === undefined || value === "") return out;
  if (typeof value === "string" && value.trimStart().startsWith("{")) {
    // a JSON object written into one text column (CSV)
    try {
      return valueMap(JSON.parse(value), field, where);
    } catch {
      return fail(
        `'${field}' holds text that is not a JSON object: ${JSON.stringify(value.slice(0, 60))}`,
        where,
        field,
      );
    }
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    return fail(`'${field}' must be an object of name -> value, got ${JSON.stringify(value)}`, where, field);
  }
  for (const [name, raw] of Object.entries(value)) {
    const coerced = coerceValue(raw);
    if (coerced !== undefined) out[name] = coerced;
  }
  return out;
}

/**
 * Builds a record from a row that uses the native field names (possibly flattened as
 * `signals.NAME` / `features.NAME` columns, as in CSV). Missing `prompt_id` falls back to the
 * prompt text. Throws an `input` error at `where` (file:line) naming the field that is wrong.
 * @example toRolloutRecord({ prompt_id: 7, "signals.pass": "1" }, {}).signals // { pass: 1 }
 */
export function toRolloutRecord(row: Record<string, unknown>, where: ErrorLocation): RolloutRecord {
  const signals = valueMap(row.signals, "signals", where);
  const features = valueMap(row.features, "features", where);
  for (const key in row) {
    if (key.startsWith("signals.")) {
      const v = coerceValue(row[key]);
      if (v !== undefined) signals[key.slice(8)] = v;
    } else if (key.startsWith("features.")) {
      const v = coerceValue(row[key]);
      if (v !== undefined) features[key.slice(9)] = v;
    }
  }
  const prompt = asText(row.prompt);
  const promptId = asText(row.prompt_id) ?? prompt;
  if (promptId === undefined || promptId === "") {
    return fail("missing 'prompt_id' (and no 'prompt' to identify the prompt by)", where, "prompt_id");
  }
  let iteration = 0;
  const rawIteration = row.iteration;
  if (rawIteration !== undefined && rawIteration !== null && rawIteration !== "") {
    iteration = typeof rawIteration === "number" ? rawIteration : Number(rawIteration);
    if (!Number.isSafeInteger(iteration) || iteration < 0) {
      return fail(
        `'iteration' must be a whole number >= 0, got ${JSON.stringify(rawIteration)}`,
        where,
        "iteration",
      );
    }
  }
  const error = asText(row.error);
  const failed = error !== undefined && error !== "";
  if (!failed && Object.keys(signals).length === 0) {
    return fail("no signal: the record has no 'signals' values", where, "signals");
  }
  const record: RolloutRecord = { iteration, prompt_id: promptId, signals };
  if (failed) record.error = error;
  if (prompt !== undefined) record.prompt = prompt;
  const response = asText(row.response);
  if (response !== undefined) record.response = response;
  const cls = asText(row.class);
  if (cls !== undefined) record.class = cls;
  const gold = asBoolean(row.gold, "gold", where);
  if (gold !== undefined) record.gold = gold;
  const accepted = asBoolean(row.accepted, "accepted", where);
  if (accepted !== undefined) record.accepted = accepted;
  if (Object.keys(features).length > 0) record.features = features;
  return record;
}
