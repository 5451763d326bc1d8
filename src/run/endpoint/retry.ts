/**
 * Retry policy for HTTP endpoints: which failures are worth another attempt, how long to wait
 * (exponential backoff with full jitter, capped), and how to honour a server's Retry-After.
 */
import type { Rng } from "../../info/index.js";

/** Backoff settings: the first delay, the cap, and how many attempts in all. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

/** HTTP statuses that a later attempt may get past: rate limits, overload and gateway failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Seconds (or an HTTP date) from a Retry-After header, as milliseconds from `now`; undefined when
 * absent or unreadable.
 * @example parseRetryAfter("2", 0) // 2000
 */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 0): full jitter over
 * min(max, base * 2^attempt), but never less than the server's Retry-After when it gave one.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, rng: Rng, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = rng.next() * ceiling;
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
