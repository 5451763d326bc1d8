#!/usr/bin/env node
/**
 * Completes package-lock.json with the platform-specific optional packages (Biome and DuckDB
 * binaries for other systems) that npm 11 leaves out when it resolves on Linux, and without which
 * `npm ci` refuses the lock ("Missing: @biomejs/cli-darwin-arm64@ from lock file"). Run it after any
 * `npm install` that changes the lock: `node scripts/complete-lockfile.mjs`.
 */
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pkgs = lock.packages;
const added = [];
for (const entry of Object.values(pkgs)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (pkgs[key]) continue;
    const m = name.match(/-(android|darwin|linux|win32|freebsd)-(arm64|x64|arm|ia32)(-(musl|gnu))?$/);
    if (!m) {
      console.error("cannot infer platform of", name);
      continue;
    }
    const e = { version, cpu: [m[2]], dev: entry.dev, license: entry.license, optional: true, os: [m[1]] };
    if (m[4] === "musl") e.libc = ["musl"];
    if (m[1] === "linux" && !m[4] && name.startsWith("@duckdb")) e.libc = ["glibc"];
    if (!entry.dev) delete e.dev;
    pkgs[key] = e;
    added.push(name);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log("added", added.join(" "));
