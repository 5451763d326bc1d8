/**
 * A content-addressed disk cache of successful endpoint responses: the key is the SHA-256 of the
 * canonical JSON of everything that determines a response (endpoint, model, messages, sampling
 * parameters, seed), so a re-run does not pay twice. Errors are never stored. Entries are written
 * to a temporary file and renamed, so a crash never leaves a torn entry.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** JSON with object keys sorted, so equal requests give equal keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The cache key of a request. */
export function cacheKey(request: unknown): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}

/** A disk cache rooted at a directory. */
export interface DiskCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/** Opens (lazily creating) a cache under `dir`; entries live in `dir/ab/abcdef....json`. */
export function openDiskCache(dir: string): DiskCache {
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  let counter = 0;
  return {
    async get<T>(key: string) {
      try {
        return JSON.parse(await readFile(pathOf(key), "utf8")) as T;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      const path = pathOf(key);
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${process.pid}.${counter++}.tmp`;
      await writeFile(temporary, JSON.stringify(value));
      await rename(temporary, path);
    },
  };
}
