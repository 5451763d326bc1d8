/** The verdict every verifier returns, and the options the run layer passes to verifiers. */

/** One verifier's judgement of one record. */
export interface Verdict {
  /** Whether the record passes. */
  pass: boolean;
  /** A graded score in [0, 1] when the verifier has one (judge, command). */
  score?: number;
  /** A canonical form of the answer (math), usable as the partition class [Y]. */
  class?: string;
  /** Why it failed (or what was compared), for people. */
  reason?: string;
  /** The outcome of running code: passed | failed | timeout | memory | error. */
  status?: string;
}

/** A rollout record (or any JSON object) a verifier reads fields from. */
export type VerifierRecord = Record<string, unknown>;

/** Host-side options of a verification (not part of the spec). */
export interface VerifyOptions {
  /** Directory that relative paths in the config (tests, schema) are resolved against. */
  baseDir?: string;
  /** Run code without bubblewrap (explicit opt-in only). */
  unsafeNoSandbox?: boolean;
  /** Environment to read a judge's API key from (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** Reads a text field of a record; non-strings are JSON-encoded, a missing field is undefined. */
export function textField(record: VerifierRecord, field: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}
