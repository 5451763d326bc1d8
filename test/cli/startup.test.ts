/**
 * CLI start-up loads only what the invoked command needs: `--version` loads no library module
 * beyond the small ones option definitions use (info, the lab's task names), and a command loads
 * its own modules, never DuckDB, zod or the other commands' libraries. Checked by recording every
 * module the process loads (a module loader hook), not by timing.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { tempDir } from "../run/runner/specs.js";

let register = "";

/** The modules (`dist/...` files and package names) that `openloop ...args` loads, and its exit code. */
function loadedModules(args: string[]): { modules: string[]; code: number | null } {
  const result = spawnSync(process.execPath, ["--import", register, CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const modules = result.stderr
    .split("\n")
    .filter((line) => line.startsWith("loaded "))
    .map((line) => {
      const url = line.slice(7);
      const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
      if (pkg) return pkg[1];
      const dist = /\/dist\/(.+)$/.exec(url);
      return dist ? dist[1] : url;
    });
  return { modules: [...new Set(modules)], code: result.status };
}

const folders = (modules: string[]) =>
  [...new Set(modules.filter((m) => m.includes("/")).map((m) => m.split("/")[0]))].sort();

describe("CLI start-up", () => {
  beforeAll(() => {
    const dir = tempDir("openloop-startup-");
    const hooks = join(dir, "hooks.mjs");
    writeFileSync(
      hooks,
      "export async function load(url, context, next) {\n" +
        '  if (url.startsWith("file:")) process.stderr.write("loaded " + url + "\\n");\n' +
        "  return next(url, context);\n}\n",
    );
    const registerFile = join(dir, "register.mjs");
    writeFileSync(
      registerFile,
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    register = pathToFileURL(registerFile).href;
  });

  it("--version loads commander, the CLI, errors, info and the lab's task names only", () => {
    const { modules, code } = loadedModules(["--version"]);
    expect(code).toBe(0);
    expect(modules).toContain("cli.js");
    expect(modules).toContain("commander");
    expect(folders(modules)).toEqual(["cli", "info", "lab"]);
    expect(modules.filter((m) => m.startsWith("lab/")).sort()).toEqual(["lab/forms.js", "lab/tasks.js"]);
    for (const heavy of ["@duckdb/node-api", "zod", "yaml", "ajv"]) expect(modules).not.toContain(heavy);
  });

  it("audit loads the spec and audit modules, not records, run, analyze, report, the lab or DuckDB", () => {
    const { modules, code } = loadedModules(["audit", "examples/pipelines/star.yaml"]);
    expect(code).toBe(0);
    expect(folders(modules)).toEqual(["audit", "cli", "info", "lab", "spec"]);
    expect(modules).not.toContain("@duckdb/node-api");
  });

  it("analyze of JSON Lines loads the analysis modules, not DuckDB (only Parquet needs it)", () => {
    const { modules, code } = loadedModules([
      "analyze",
      "test/fixtures/verl-rollout-2.jsonl",
      "--preset",
      "verl",
      "--bootstrap",
      "0",
    ]);
    expect(code).toBe(0);
    expect(folders(modules)).toEqual(expect.arrayContaining(["analyze", "records", "report"]));
    expect(modules).not.toContain("@duckdb/node-api");
  });
});
