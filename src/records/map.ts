/**
 * Field maps: how a foreign log's fields become rollout-record fields. A map entry is
 * `target=source`, e.g. `class=final_answer` or `signals.reward=score`; the target is a record
 * field (or `signals.NAME`, `features.NAME`), the source a field of the foreign row, with dots
 * reaching into nested objects and arrays (`reward_extra_info.acc`, `messages.-1.content`).
 */
import { OpenloopError } from "../errors.js";
import { RECORD_FIELDS } from "./record.js";

/** One mapping: record field path <- source path. */
export interface FieldMapEntry {
  target: string;
  source: string;
}

const SCALAR_TARGETS = new Set<string>(RECORD_FIELDS.filter((f) => f !== "signals" && f !== "features"));

/** Throws a `usage` error unless `target` is a record field, `signals.NAME` or `features.NAME`. */
export function checkMapTarget(target: string): void {
  if (SCALAR_TARGETS.has(target)) return;
  const match = /^(signals|features)\.(.+)$/.exec(target);
  if (match && match[2].trim() !== "") return;
  throw new OpenloopError("usage", `unknown map target '${target}'`, {
    hint: `targets are ${[...SCALAR_TARGETS].join(", ")}, signals.NAME, features.NAME`,
  });
}

/**
 * Parses `--map` values (`target=source`), checking every target.
 * @example parseFieldMap(["class=final_answer", "signals.reward=score"])
 */
export function parseFieldMap(entries: readonly string[]): FieldMapEntry[] {
  return entries.map((entry) => {
    const eq = entry.indexOf("=");
    const target = eq < 0 ? "" : entry.slice(0, eq).trim();
    const source = eq < 0 ? "" : entry.slice(eq + 1).trim();
    if (target === "" || source === "") {
      throw new OpenloopError("usage", `--map expects target=source, got '${entry}'`, {
        hint: "e.g. --map class=final_answer --map signals.reward=score",
      });
    }
    checkMapTarget(target);
    return { target, source };
  });
}

/**
 * The value at a dotted `path` of `row`: the exact key first (CSV headers may contain dots),
 * then nested objects/arrays; a negative array index counts from the end.
 */
export function getPath(row: Record<string, unknown>, path: string): unknown {
  if (path in row) return row[path];
  let value: unknown = row;
  for (const part of path.split(".")) {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) {
      const index = Number(part);
      if (!Number.isInteger(index)) return undefined;
      value = value[index < 0 ? value.length + index : index];
    } else if (typeof value === "object") {
      value = (value as Record<string, unknown>)[part];
    } else {
      return undefined;
    }
  }
  return value;
}

/**
 * Applies a field map to a foreign row: a new row with the native fields of `row`, and each
 * target set from its source (signals and features as nested objects).
 */
export function applyFieldMap(
  row: Record<string, unknown>,
  entries: readonly FieldMapEntry[],
): Record<string, unknown> {
  if (entries.length === 0) return row;
  const out: Record<string, unknown> = { ...row };
  for (const { target, source } of entries) {
    const value = getPath(row, source);
    if (value === undefined) continue;
    const dot = target.indexOf(".");
    if (dot < 0) {
      out[target] = value;
    } else {
      const group = target.slice(0, dot);
      const current = out[group];
      const nested =
        current !== null && typeof current === "object" && !Array.isArray(current)
          ? { ...(current as Record<string, unknown>) }
          : {};
      nested[target.slice(dot + 1)] = value;
      out[group] = nested;
    }
  }
  return out;
}
