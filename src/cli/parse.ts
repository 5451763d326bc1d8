/**
 * Option parsers for commander that turn bad values into usage errors (exit code 2) naming the
 * option and the value.
 */
import { OpenloopError } from "../errors.js";

/** Parses a whole number in [min, max] for option `name`. */
export function intOption(name: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new OpenloopError(
        "usage",
        `${name} expects a whole number between ${min} and ${max}, got '${raw}'`,
      );
    }
    return value;
  };
}

/** Parses a finite number in [min, max] for option `name`. */
export function numberOption(name: string, min = -Infinity, max = Infinity) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
      throw new OpenloopError("usage", `${name} expects a number between ${min} and ${max}, got '${raw}'`);
    }
    return value;
  };
}

/** Parses one of a fixed set of choices for option `name`. */
export function choiceOption<T extends string>(name: string, choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new OpenloopError("usage", `${name} expects one of ${choices.join(", ")}, got '${raw}'`);
    }
    return raw as T;
  };
}

/** Collects a repeatable option into an array. */
export function collect(raw: string, previous: string[] = []): string[] {
  return [...previous, raw];
}

/** Splits a comma-separated list of column names, collecting across repeats. */
export function columnList(raw: string, previous: string[] = []): string[] {
  const names = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [...previous, ...names];
}
