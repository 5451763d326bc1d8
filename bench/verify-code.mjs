/**
 * Benchmark: Python test runs in the bubblewrap sandbox (openloop's `code` verifier: bwrap, the
 * harness that sets its rlimits and checks the sentinel, files passed through pipes) against the
 * same runs as bare subprocesses (the same harness with the same limits, solution and tests
 * already on disk, `python3` spawned directly: the cheapest possible bare run). Side by side in
 * one run: each round runs the 8 tasks as a batch on each side, sides alternating which goes
 * first, one run at a time (or `concurrency` at a time). Prints runs per second (wall clock) of
 * each and the ratio sandboxed / bare. CPU time cannot be compared (the sandbox's processes are
 * reaped inside their PID namespace and do not show in this process's children times), so run
 * it on a quiet machine.
 * Run: npm run build && node bench/verify-code.mjs [rounds] [concurrency]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PYTHON_HARNESS, runCode, sandboxLimits } from "../dist/run/index.js";

const rounds = Number(process.argv[2] ?? 40);
const concurrency = Number(process.argv[3] ?? 1);

/** Runs job(0..n-1) with at most `limit` in flight; resolves with the results in order. */
async function pool(n, limit, job) {
  const out = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next;
      next += 1;
      out[i] = await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return out;
}

// HumanEval-style tasks: a function and a handful of asserts each.
const TASKS = [
  [
    "def fizzbuzz(n):\n    return ['FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else str(i) for i in range(1, n + 1)]\n",
    "assert fizzbuzz(15)[-1] == 'FizzBuzz'\nassert fizzbuzz(5) == ['1', '2', 'Fizz', '4', 'Buzz']\nassert len(fizzbuzz(1000)) == 1000\n",
  ],
  [
    "def primes(n):\n    sieve = [True] * (n + 1)\n    sieve[0:2] = [False, False]\n    for i in range(2, int(n ** 0.5) + 1):\n        if sieve[i]:\n            sieve[i*i::i] = [False] * len(sieve[i*i::i])\n    return [i for i, p in enumerate(sieve) if p]\n",
    "assert primes(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]\nassert len(primes(100000)) == 9592\n",
  ],
  [
    "def is_palindrome(s):\n    t = ''.join(c.lower() for c in s if c.isalnum())\n    return t == t[::-1]\n",
    "assert is_palindrome('A man, a plan, a canal: Panama')\nassert not is_palindrome('hello')\nassert is_palindrome('')\n",
  ],
  [
    "from functools import lru_cache\n@lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
    "assert fib(10) == 55\nassert fib(90) == 2880067194370816120\n",
  ],
  [
    "import json\ndef merge(a, b):\n    out = dict(json.loads(a))\n    out.update(json.loads(b))\n    return json.dumps(out, sort_keys=True)\n",
    "assert merge('{\"x\": 1}', '{\"y\": 2}') == '{\"x\": 1, \"y\": 2}'\nassert merge('{}', '{}') == '{}'\n",
  ],
  [
    "def matmul(a, b):\n    return [[sum(x * y for x, y in zip(r, c)) for c in zip(*b)] for r in a]\n",
    "import random\nrandom.seed(1)\nm = [[random.random() for _ in range(30)] for _ in range(30)]\nassert len(matmul(m, m)) == 30\nassert matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19, 22], [43, 50]]\n",
  ],
  [
    "import re\ndef words(s):\n    return re.findall(r'[a-z]+', s.lower())\n",
    "assert words('Hello, World!') == ['hello', 'world']\nassert words('') == []\n",
  ],
  ["def wrong_sort(xs):\n    return xs\n", "assert wrong_sort([3, 1, 2]) == [1, 2, 3]\n"],
];

// the harness's argv: the same limits the sandboxed run applies (CPU s, address space, file size,
// processes, open files); the bare run applies them too, so both do the same work
const limits = sandboxLimits({ timeoutMs: 10_000, cpuSeconds: 10, memoryBytes: 512 * 1024 * 1024 });
const LIMIT_ARGS = [
  limits.cpuSeconds,
  limits.addressSpaceBytes,
  limits.fileSizeBytes,
  limits.processes,
  limits.openFiles,
].map(String);

function bareRun(dir) {
  const sentinel = `openloop-sentinel-${randomBytes(16).toString("hex")}`;
  return new Promise((resolve) => {
    const child = spawn("/usr/bin/python3", ["-I", "-B", "-X", "utf8", "harness.py", ...LIMIT_ARGS], {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.resume();
    child.stdin.end(`${sentinel}\n`);
    child.on("close", (code) => resolve(code === 0 && out.split("\n").includes(sentinel)));
  });
}

const dirs = TASKS.map(([code, tests]) => {
  const dir = mkdtempSync(join(tmpdir(), "openloop-bench-code-"));
  writeFileSync(join(dir, "harness.py"), PYTHON_HARNESS);
  writeFileSync(join(dir, "solution.py"), code);
  writeFileSync(join(dir, "tests.py"), tests);
  return dir;
});

let bareSeconds = 0;
let sandboxSeconds = 0;
let runs = 0;
let agree = 0;
try {
  // warm-up: page cache, JIT
  for (let t = 0; t < TASKS.length; t += 1) {
    await bareRun(dirs[t]);
    await runCode({ lang: "python", code: TASKS[t][0], tests: TASKS[t][1], timeoutS: 10, memoryMb: 512 });
  }
  for (let r = 0; r < rounds; r += 1) {
    // each side runs the 8 tasks as one batch with `concurrency` runs in flight; sides alternate
    const results = {};
    for (const side of r % 2 === 0 ? ["sandbox", "bare"] : ["bare", "sandbox"]) {
      const t0 = performance.now();
      results[side] = await pool(TASKS.length, concurrency, (t) =>
        side === "bare"
          ? bareRun(dirs[t])
          : runCode({
              lang: "python",
              code: TASKS[t][0],
              tests: TASKS[t][1],
              timeoutS: 10,
              memoryMb: 512,
            }).then((result) => result.pass),
      );
      const seconds = (performance.now() - t0) / 1000;
      if (side === "bare") bareSeconds += seconds;
      else sandboxSeconds += seconds;
    }
    runs += TASKS.length;
    for (let t = 0; t < TASKS.length; t += 1) if (results.bare[t] === results.sandbox[t]) agree += 1;
  }
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
const bareRate = runs / bareSeconds;
const sandboxRate = runs / sandboxSeconds;
console.log(
  `${runs} Python test runs each way (${TASKS.length} tasks x ${rounds} rounds), ${concurrency} at a time`,
);
console.log(
  `  bare subprocess:   ${bareRate.toFixed(1)} runs/s (${((1000 * bareSeconds) / runs).toFixed(1)} ms/run)`,
);
console.log(
  `  bubblewrap sandbox: ${sandboxRate.toFixed(1)} runs/s (${((1000 * sandboxSeconds) / runs).toFixed(1)} ms/run)`,
);
console.log(`  verdicts agree on ${agree}/${runs} runs`);
console.log(`ratio sandboxed / bare: ${(sandboxRate / bareRate).toFixed(3)}`);
