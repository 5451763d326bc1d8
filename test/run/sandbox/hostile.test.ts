/**
 * Hostile programs run through the code verifier's sandbox; each test proves the program was
 * contained and that the host (this test process, its files, its network, its process table)
 * was not affected.
 */
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { OpenloopError } from "../../../src/errors.js";
import { othersCanExecute } from "../../../src/run/sandbox/host.js";
import { runSandboxed } from "../../../src/run/sandbox/index.js";
import { classifyRun, runCode } from "../../../src/run/verifiers/code.js";
import { verify } from "../../../src/run/verifiers/verify.js";
import { verifierConfigSchema } from "../../../src/spec/verifier-config.js";

const execFileAsync = promisify(execFile);

const py = (code: string, tests = "pass", timeoutS = 3, memoryMb = 256) =>
  runCode({ lang: "python", code, tests, timeoutS, memoryMb });

/** Host processes whose command line contains `marker` (other than pgrep itself). */
function hostProcesses(marker: string): string[] {
  const result = spawnSync("/usr/bin/pgrep", ["-a", "-f", marker], { encoding: "utf8" });
  return result.stdout.split("\n").filter((line) => line.trim() !== "" && !line.includes("pgrep"));
}

const marker = () => `${3600 + Math.floor(Math.random() * 1000)}.${randomBytes(4).readUInt32BE(0)}`;

describe("sandbox: hostile programs are contained", () => {
  it("an infinite loop times out and is killed", async () => {
    const result = await py("while True:\n    pass\n", "pass", 1);
    expect(result.status).toBe("timeout");
    expect(result.pass).toBe(false);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it("a fork bomb hits the process limit and leaves no process behind", async () => {
    const mark = marker();
    const bomb =
      "import os\\nwhile True:\\n    try:\\n        os.fork()\\n    except OSError:\\n        pass\\n";
    const code = `import os\nos.execv("/usr/bin/python3", ["python3", "-c", "${bomb}", "${mark}"])\n`;
    const result = await py(code, "pass", 2);
    expect(result.status).toBe("timeout");
    expect(hostProcesses(mark)).toEqual([]);
    expect(spawnSync("/usr/bin/true").status).toBe(0);
  });

  it("the process limit stops forking at 64 processes", async () => {
    const code = [
      "import os, time",
      "n = 0",
      "try:",
      "    while True:",
      "        if os.fork() == 0:",
      "            time.sleep(30)",
      "            os._exit(0)",
      "        n += 1",
      "except OSError as e:",
      "    print('forks', n, e.errno)",
    ].join("\n");
    const result = await py(code, "pass", 5);
    expect(result.status).toBe("passed");
    const [, forks, errno] = result.stdout.trim().split(" ");
    expect(Number(forks)).toBeLessThan(64);
    expect(Number(forks)).toBeGreaterThan(10);
    expect(Number(errno)).toBe(11); // EAGAIN
  });

  it("a memory bomb ends with status memory", async () => {
    const result = await py("x = []\nwhile True:\n    x.append(bytearray(10**7))\n", "pass", 10, 128);
    expect(result.status).toBe("memory");
  });

  it("huge output is capped and the program stopped", async () => {
    const result = await py("while True:\n    print('x' * 10000)\n", "pass", 10);
    expect(result.status).toBe("error");
    expect(result.reason).toMatch(/stdout exceeded/);
    expect(result.stdout.length).toBe(1024 * 1024);
    expect(result.durationMs).toBeLessThan(5000);
  });

  describe("network", () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it("a connection to a loopback server fails and the server sees nothing", async () => {
      const code = [
        "import socket",
        "try:",
        `    socket.create_connection(("127.0.0.1", ${port}), timeout=2)`,
        "    print('connected')",
        "except OSError as e:",
        "    print('blocked', e.errno)",
      ].join("\n");
      const result = await py(code);
      expect(result.status).toBe("passed");
      expect(result.stdout).toMatch(/^blocked/);
      expect(connections).toBe(0);
      // the same code outside the sandbox does connect: the test server is reachable
      const bare = await execFileAsync("/usr/bin/python3", ["-c", code], { encoding: "utf8" });
      expect(bare.stdout).toMatch(/^connected/);
      await vi.waitFor(() => expect(connections).toBe(1));
    });
  });

  it("writing outside the working directory does not reach the host", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openloop-hostile-"));
    const target = join(dir, "escaped.txt");
    try {
      const code = [
        "import os",
        `os.makedirs(${JSON.stringify(dir)}, exist_ok=True)`,
        `open(${JSON.stringify(target)}, "w").write("escaped")`,
        "for path in ['/usr/openloop-evil', '/etc/openloop-evil', '/openloop-evil']:",
        "    try:",
        "        open(path, 'w').write('x')",
        "        print('wrote', path)",
        "    except OSError as e:",
        "        print('refused', path, e.errno)",
      ].join("\n");
      const result = await py(code);
      expect(result.status).toBe("passed");
      expect(result.stdout).not.toMatch(/wrote/);
      expect(existsSync(target)).toBe(false);
      expect(existsSync("/usr/openloop-evil")).toBe(false);
      expect(existsSync("/etc/openloop-evil")).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the parent's environment is not visible", async () => {
    const secret = `secret-${randomBytes(8).toString("hex")}`;
    process.env.OPENLOOP_TEST_SECRET = secret;
    try {
      const result = await py(
        "import os\nprint(sorted(os.environ))\nprint(open('/proc/1/environ').read())\n",
      );
      expect(result.status).toBe("passed");
      expect(result.stdout).not.toContain(secret);
      expect(result.stdout).not.toContain("OPENLOOP_TEST_SECRET");
    } finally {
      delete process.env.OPENLOOP_TEST_SECRET;
    }
  });

  it("killing the parent (and every visible process) leaves the host alive", async () => {
    const code = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('ppid', os.getppid())\n";
    const result = await py(code);
    expect(result.status).toBe("passed");
    const all = await py("import os, signal\nos.kill(-1, signal.SIGKILL)\n");
    expect(["passed", "failed"]).toContain(all.status);
    const js = await runCode({
      lang: "javascript",
      code: "try { process.kill(process.ppid, 'SIGKILL') } catch (e) { console.log('refused', e.code) }",
      tests: "",
      timeoutS: 5,
      memoryMb: 256,
    });
    expect(js.status).toBe("passed");
    expect(process.pid).toBeGreaterThan(0);
    expect(spawnSync("/usr/bin/true").status).toBe(0);
  });

  it("a background process does not survive the run", async () => {
    const mark = marker();
    const code = [
      "import subprocess, os",
      `p = subprocess.Popen(["/usr/bin/sleep", "${mark}"], start_new_session=True)`,
      "if os.fork() == 0:",
      "    os.setsid()",
      `    os.execv("/usr/bin/sleep", ["sleep", "${mark}"])`,
      "print('started', p.pid)",
    ].join("\n");
    const result = await py(code);
    expect(result.status).toBe("passed");
    expect(result.stdout).toMatch(/^started \d+/);
    expect(hostProcesses(mark)).toEqual([]);
  });

  it.each([
    ["sys.exit(0)", "import sys\nsys.exit(0)\n"],
    ["os._exit(0)", "import os\nos._exit(0)\n"],
  ])("%s before the tests does not pass", async (_name, code) => {
    const result = await py(code, "assert False");
    expect(result.status).toBe("failed");
    expect(result.pass).toBe(false);
  });

  it("process.exit(0) before the tests does not pass (JavaScript)", async () => {
    const result = await runCode({
      lang: "javascript",
      code: "process.exit(0)",
      tests: "throw new Error('unreached')",
      timeoutS: 5,
      memoryMb: 256,
    });
    expect(result.status).toBe("failed");
  });

  it("refuses with a sandbox error when bubblewrap is missing", async () => {
    process.env.OPENLOOP_BWRAP = "/nonexistent/bwrap";
    try {
      await expect(py("print(1)")).rejects.toBeInstanceOf(OpenloopError);
      await expect(py("print(1)")).rejects.toMatchObject({ code: "sandbox" });
    } finally {
      delete process.env.OPENLOOP_BWRAP;
    }
  });

  it("runs a plain command with the documented limits", async () => {
    const probe = [
      "import resource as r, os, socket",
      "for k in (r.RLIMIT_NPROC, r.RLIMIT_AS, r.RLIMIT_FSIZE, r.RLIMIT_CPU):",
      "    print(*r.getrlimit(k))",
      "print(socket.gethostname())",
      "print(*sorted(os.listdir('/')))",
      "print(os.path.exists('/sys'), os.path.exists('/etc'), os.path.exists('/root'), os.getcwd())",
    ].join("\n");
    const result = await runSandboxed({
      command: ["/usr/bin/python3", "-c", probe],
      timeoutMs: 5000,
      cpuSeconds: 5,
      memoryBytes: 256 * 1024 * 1024,
    });
    expect(result.stdout.trim().split("\n")).toEqual([
      "64 64",
      `${256 * 1024 * 1024} ${256 * 1024 * 1024}`,
      `${16 * 1024 * 1024} ${16 * 1024 * 1024}`,
      "5 6",
      "sandbox",
      "bin dev lib lib64 proc sbin tmp usr work",
      "False False False /work",
    ]);
  });
});

describe("code verifier harness", () => {
  it("runs unittest.TestCase classes defined by the tests", async () => {
    const tests = [
      "import unittest",
      "class T(unittest.TestCase):",
      "    def test_ok(self):",
      "        self.assertEqual(add(1, 2), 3)",
      "    def test_bad(self):",
      "        self.assertEqual(add(1, 1), 3)",
    ].join("\n");
    const result = await py("def add(a, b):\n    return a + b\n", tests);
    expect(result.status).toBe("failed");
    expect(result.reason).toBe("unittest: 1 failures, 0 errors");
    const fixed = await py(
      "def add(a, b):\n    return a + b\n",
      tests.replace("add(1, 1), 3", "add(1, 1), 2"),
    );
    expect(fixed.status).toBe("passed");
  });

  it("applies the limits before the solution runs (Python sets them itself)", async () => {
    const code = [
      "import resource as r, os",
      "print(*(r.getrlimit(k)[0] for k in (r.RLIMIT_CPU, r.RLIMIT_AS, r.RLIMIT_FSIZE, r.RLIMIT_NPROC)))",
      "print(os.getpid())",
    ].join("\n");
    const result = await py(code, "pass", 3, 200);
    expect(result.stdout.trim().split("\n")).toEqual([`3 ${200 * 1024 * 1024} ${16 * 1024 * 1024} 64`, "1"]);
  });

  it("supports multiprocessing, tempfile, /dev/stdin and `from solution import`", async () => {
    const code = [
      "import multiprocessing as mp, tempfile",
      "def sq(x):",
      "    return x * x",
      "def pooled():",
      "    with mp.Pool(2) as p:",
      "        return p.map(sq, range(5))",
    ].join("\n");
    const tests = [
      "from solution import pooled",
      "assert pooled() == [0, 1, 4, 9, 16]",
      "with tempfile.NamedTemporaryFile() as f:",
      "    f.write(b'x')",
      "assert open('/dev/stdin').read() == ''",
      "print('ok')",
    ].join("\n");
    const result = await py(code, tests, 20);
    expect(result.reason).toBeUndefined();
    expect(result).toMatchObject({ status: "passed", stdout: "ok\n" });
  });

  it("reports the failing assertion and keeps the program's output", async () => {
    const result = await py("print('hello')\ndef f():\n    return 1\n", "assert f() == 2, 'f is wrong'");
    expect(result).toMatchObject({ status: "failed", reason: "AssertionError during the tests: f is wrong" });
    expect(result.stdout).toBe("hello\n");
  });

  it("verifyCode takes the program from a fenced block and the tests from a record field", async () => {
    const config = verifierConfigSchema.parse({ type: "code", lang: "python", tests: { field: "tests" } });
    const record = {
      response: "Here:\n```python\ndef sq(x):\n    return x * x\n```\nDone.",
      tests: "assert sq(3) == 9",
    };
    expect(await verify(config, record)).toEqual({ pass: true, status: "passed" });
  });
});

describe("sandbox: hostile JavaScript", () => {
  const js = (code: string, timeoutS = 2, memoryMb = 128) =>
    runCode({ lang: "javascript", code, tests: "", timeoutS, memoryMb });

  it("an infinite loop times out", async () => {
    expect((await js("for (;;) {}", 1)).status).toBe("timeout");
  });

  it("a heap bomb ends with status memory", async () => {
    const result = await js("const a = []; for (;;) a.push(new Array(1e6).fill(1.5));", 20);
    expect(result.status).toBe("memory");
  });

  it("sees no parent environment and no network", async () => {
    process.env.OPENLOOP_TEST_SECRET_JS = "js-secret-value";
    try {
      const code = [
        "console.log(JSON.stringify(process.env));",
        "const net = require('node:net');",
        "await new Promise((done) => {",
        "  const s = net.connect(1, '127.0.0.1');",
        "  s.on('connect', () => { console.log('connected'); done(); });",
        "  s.on('error', (e) => { console.log('blocked', e.code); done(); });",
        "});",
      ].join("\n");
      const result = await js(code, 5, 256);
      expect(result.status).toBe("passed");
      expect(result.stdout).not.toContain("js-secret-value");
      expect(result.stdout).toMatch(/blocked ECONNREFUSED/);
    } finally {
      delete process.env.OPENLOOP_TEST_SECRET_JS;
    }
  });
});

describe("sandbox host checks", () => {
  it.each([
    ["/usr/bin/python3", true],
    [process.execPath, true],
    ["/nonexistent/python3", false],
  ])("othersCanExecute(%s) = %s", (path, expected) => {
    expect(othersCanExecute(path)).toBe(expected);
  });

  it.runIf(process.getuid?.() === 0)(
    "as root, a runtime only its owner can execute is refused clearly",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "openloop-private-"));
      try {
        const program = join(dir, "python3");
        writeFileSync(program, "#!/bin/sh\n", { mode: 0o700 });
        await expect(
          runSandboxed({ command: [program], timeoutMs: 1000, memoryBytes: 64 * 1024 * 1024 }),
        ).rejects.toMatchObject({ code: "sandbox", message: expect.stringMatching(/cannot execute/) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("classifyRun", () => {
  const base = {
    exitCode: 0,
    signal: null,
    stdout: "",
    stderr: "",
    timedOut: false,
    outputCapped: null,
    durationMs: 1,
    sandboxed: true,
  } as const;
  it.each([
    [{ stdout: "hi\nS\n" }, "passed", "hi"],
    [{ stdout: "hi\nS\n", stderr: "caught MemoryError, retried" }, "passed", "hi"],
    [{ stdout: "hi\n" }, "failed", "hi\n"],
    [{ exitCode: 1, stderr: "Traceback\nMemoryError\n" }, "memory", ""],
    [{ exitCode: 152 }, "timeout", ""],
    [{ exitCode: 137, timedOut: true }, "timeout", ""],
    [{ exitCode: 137, stdout: "x", outputCapped: "stdout" }, "error", "x"],
    [{ exitCode: 1, stderr: "openloop: AssertionError during the tests: no\n" }, "failed", ""],
  ] as const)("%j -> %s", (partial, status, stdout) => {
    const result = classifyRun({ ...base, ...partial }, "S", 3);
    expect(result.status).toBe(status);
    expect(result.stdout).toBe(stdout);
  });
});
