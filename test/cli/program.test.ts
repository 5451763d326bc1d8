import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runOpenloop } from "../helpers/cli.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

describe("openloop program", () => {
  it("prints its version", () => {
    const result = runOpenloop(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it("prints help with the exit-code convention and exits 0", () => {
    const result = runOpenloop(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Exit codes: 0 success, 1 a problem was found");
  });

  it.each([[["no-such-command"]], [["--no-such-flag"]]])(
    "exits 2 on bad usage %j without a stack trace",
    (args) => {
      const result = runOpenloop(args);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    },
  );
});
