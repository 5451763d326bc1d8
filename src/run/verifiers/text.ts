/** The `regex` and `contains` verifiers: pure string checks of one record field. */
import type { ContainsVerifierConfig, RegexVerifierConfig } from "../../spec/index.js";
import { textField, type Verdict, type VerifierRecord } from "./types.js";

const compiled = new WeakMap<RegexVerifierConfig, RegExp>();

/**
 * Passes when `record[config.field]` matches `config.pattern` (with `config.flags`).
 * @example verifyRegex({ type: "regex", pattern: "^\\d+$", flags: "", field: "response" }, { response: "42" }) // { pass: true }
 */
export function verifyRegex(config: RegexVerifierConfig, record: VerifierRecord): Verdict {
  const text = textField(record, config.field);
  if (text === undefined) return { pass: false, reason: `record has no field '${config.field}'` };
  let regex = compiled.get(config);
  if (regex === undefined) {
    regex = new RegExp(config.pattern, config.flags);
    compiled.set(config, regex);
  }
  return regex.test(text)
    ? { pass: true }
    : { pass: false, reason: `does not match /${config.pattern}/${config.flags}` };
}

/**
 * Passes when `record[config.field]` contains all (or any) of `config.values`; the score is the
 * fraction of values found.
 * @example verifyContains({ type: "contains", values: ["a", "b"], mode: "all", case_insensitive: false, field: "response" }, { response: "ab" }) // { pass: true, score: 1 }
 */
export function verifyContains(config: ContainsVerifierConfig, record: VerifierRecord): Verdict {
  const raw = textField(record, config.field);
  if (raw === undefined) return { pass: false, reason: `record has no field '${config.field}'` };
  const text = config.case_insensitive ? raw.toLowerCase() : raw;
  const missing = config.values.filter((v) => !text.includes(config.case_insensitive ? v.toLowerCase() : v));
  const found = config.values.length - missing.length;
  const score = found / config.values.length;
  const pass = config.mode === "all" ? missing.length === 0 : found > 0;
  return pass
    ? { pass, score }
    : { pass, score, reason: `missing ${missing.map((v) => JSON.stringify(v)).join(", ")}` };
}
