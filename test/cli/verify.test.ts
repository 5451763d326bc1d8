import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, type CliResult } from "../helpers/cli.js";

/** Runs the built CLI without blocking the event loop (tests run concurrently; servers answer). */
function runOpenloop(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

const dir = mkdtempSync(join(tmpdir(), "openloop-verify-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe.concurrent("openloop verify math", () => {
  it.each([
    [["\\frac{1}{2}", "so the answer is \\boxed{0.5}"], 0, /^equivalent answer="0.5" class=1\/2/],
    [["[1, 2)", "\\boxed{[1,2]}"], 1, /^not equivalent .*answers differ/],
    [["7", "\\boxed{(}"], 1, /prediction unparseable: unbalanced brackets/],
    [["--strip-units", "5", "\\boxed{5\\text{ cm}}"], 0, /^equivalent/],
  ])("%j exits %i", async (args, code, out) => {
    const result = await runOpenloop(["verify", "math", ...args]);
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(out);
  });

  it("prints one JSON document with --json", async () => {
    const result = await runOpenloop(["verify", "math", "--json", "x^2-1", "\\boxed{(x-1)(x+1)}"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      equivalent: true,
      gold_answer: "x^2-1",
      pred_answer: "(x-1)(x+1)",
      class: "((x-1)*(x+1))",
    });
  });

  it("checks a pairs file, one verdict per line, and exits 1 when one differs", async () => {
    const pairs = file(
      "pairs.jsonl",
      [
        { gold: "0.5", pred: "\\boxed{\\frac{1}{2}}" },
        { gold: "3", pred: "I think 4" },
        { gold: 12, pred: "answer: 12" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const text = await runOpenloop(["verify", "math", "--file", pairs]);
    expect(text.code).toBe(1);
    expect(text.stdout.trim().split("\n")).toHaveLength(3);
    expect(text.stdout).toMatch(/^1: equivalent/m);
    expect(text.stdout).toMatch(/^2: not equivalent/m);
    const json = await runOpenloop(["verify", "math", "--file", pairs, "--json"]);
    const doc = JSON.parse(json.stdout) as { n: number; equivalent: number; verdicts: { line: number }[] };
    expect(doc.n).toBe(3);
    expect(doc.equivalent).toBe(2);
    expect(doc.verdicts.map((v) => v.line)).toEqual([1, 2, 3]);
  });

  it.each([
    [["verify", "math", "1"], /give GOLD and PRED/],
    [["verify", "math", "--file", "/nonexistent/pairs.jsonl"], /nonexistent/],
  ])("bad usage %j exits 2", async (args, message) => {
    const result = await runOpenloop(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe.concurrent("openloop verify code", () => {
  const solution = file("solution.py", "def add(a, b):\n    return a + b\n");
  const good = file("good_tests.py", "assert add(2, 3) == 5\n");
  const bad = file("bad_tests.py", "assert add(2, 3) == 6\n");
  const exits = file("exits.py", "import sys\nsys.exit(0)\n");
  const loop = file("loop.py", "while True:\n    pass\n");

  it.each([
    [solution, good, [], 0, "passed"],
    [solution, bad, [], 1, "failed"],
    [exits, good, [], 1, "failed"],
    [loop, good, ["--timeout", "1"], 1, "timeout"],
  ])("%s with %s %j exits %i (%s)", async (code, tests, extra, exit, status) => {
    const result = await runOpenloop([
      "verify",
      "code",
      "--lang",
      "python",
      "--code",
      code,
      "--tests",
      tests,
      "--json",
      ...extra,
    ]);
    expect(result.code).toBe(exit);
    const doc = JSON.parse(result.stdout) as { status: string; sandboxed: boolean };
    expect(doc.status).toBe(status);
    expect(doc.sandboxed).toBe(true);
  });

  it("runs JavaScript with the current node", async () => {
    const js = file("sol.js", "function add(a, b) { return a + b; }\n");
    const tests = file(
      "tests.js",
      "const assert = require('node:assert');\nassert.strictEqual(add(2, 3), 5);\n",
    );
    const result = await runOpenloop([
      "verify",
      "code",
      "--lang",
      "javascript",
      "--code",
      js,
      "--tests",
      tests,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("status: passed");
  });

  it.each([
    [["--tests", "/nonexistent/tests.py"], {}, /tests file does not exist/],
    [
      ["--tests", good, "--runtime", "/nonexistent/python3"],
      {},
      /python runtime '\/nonexistent\/python3' is not installed/,
    ],
    [["--tests", good], { OPENLOOP_BWRAP: "/nonexistent/bwrap" }, /bubblewrap \(bwrap\) is not installed/],
    [["--tests", good, "--lang", "ruby"], {}, /--lang/],
  ])("bad input %j exits 2 with a clear message", async (args, env, message) => {
    const result = await runOpenloop(["verify", "code", "--lang", "python", "--code", solution, ...args], {
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("runs without bubblewrap only with --unsafe-no-sandbox, and says so", async () => {
    const result = await runOpenloop(
      [
        "verify",
        "code",
        "--lang",
        "python",
        "--code",
        solution,
        "--tests",
        good,
        "--unsafe-no-sandbox",
        "--json",
      ],
      { env: { OPENLOOP_BWRAP: "/nonexistent/bwrap" } },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "passed", sandboxed: false });
    expect(result.stderr).toMatch(/unsafe-no-sandbox/);
  });
});

describe.concurrent("openloop verify schema, regex, contains, command", () => {
  it.each([
    [["regex", "^\\d+$", "42"], 0, "pass"],
    [["regex", "--flags", "i", "^yes", "YES sir"], 0, "pass"],
    [["regex", "^\\d+$", "4x"], 1, "fail (does not match /^\\d+$/)"],
    [["contains", "--any", "--value", "x", "--value", "y", "only y"], 0, "pass score=0.5"],
    [["contains", "--value", "a", "--value", "b", "a c"], 1, 'fail score=0.5 (missing "b")'],
  ])("%j exits %i", async (args, code, out) => {
    const result = await runOpenloop(["verify", ...args]);
    expect(result.code).toBe(code);
    expect(result.stdout.trim()).toBe(out);
  });

  it("validates JSON from stdin against a schema file", async () => {
    const schema = file("p.schema.json", JSON.stringify({ type: "object", required: ["name"] }));
    expect((await runOpenloop(["verify", "schema", schema, "-"], { input: '{"name": "Ada"}' })).code).toBe(0);
    const bad = await runOpenloop(["verify", "schema", schema, "-", "--json"], { input: "{}" });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ pass: false, reason: "/ must have required property 'name'" });
    expect((await runOpenloop(["verify", "schema", "/nonexistent.json", "{}"])).code).toBe(2);
  });

  it("runs a command over a records file", async () => {
    const records = file("r.jsonl", '{"response": "hi"}\n{"response": "bye"}\n');
    const check = file(
      "check.py",
      "import json, sys\nsys.exit(0 if json.load(sys.stdin)['response'] == 'hi' else 1)\n",
    );
    const result = await runOpenloop([
      "verify",
      "command",
      "--file",
      records,
      "--json",
      "--",
      "/usr/bin/python3",
      check,
    ]);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as {
      n: number;
      passed: number;
      verdicts: { line: number; pass: boolean }[];
    };
    expect(doc).toMatchObject({ n: 2, passed: 1 });
    expect(doc.verdicts.map((v) => v.pass)).toEqual([true, false]);
  });

  it("a regex that does not compile is a usage error", async () => {
    const result = await runOpenloop(["verify", "regex", "(", "x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/pattern: invalid regular expression/);
  });
});

describe.concurrent("openloop verify judge", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => {
        data += c;
      });
      req.on("end", () => {
        const body = JSON.parse(data) as { messages: { content: string }[] };
        const score = body.messages[1].content.includes("please") ? 0.9 : 0.1;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ message: { content: `{"score": ${score}}` } }] }));
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const run = async (args: string[]) => {
    const { code, stdout } = await runOpenloop(["verify", "judge", ...args]);
    return { code, stdout };
  };

  it("passes a polite response and fails a rude one", async () => {
    const polite = await run(["--base-url", base, "--model", "judge-1", "--rubric", "Polite?", "yes please"]);
    expect(polite).toEqual({ code: 0, stdout: "pass score=0.9\n" });
    const rude = await run(["--base-url", base, "--model", "judge-1", "--rubric", "Polite?", "no", "--json"]);
    expect(rude.code).toBe(1);
    expect(JSON.parse(rude.stdout)).toEqual({
      pass: false,
      score: 0.1,
      reason: "score 0.1 below threshold 0.5",
    });
  });

  it("requires the model to be named", async () => {
    const result = await runOpenloop([
      "verify",
      "judge",
      "--base-url",
      "http://127.0.0.1:1/v1",
      "--rubric",
      "r",
      "x",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--model/);
  });
});
