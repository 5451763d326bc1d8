/**
 * The `code` verifier: runs a response's Python or JavaScript against tests inside the sandbox
 * and reports passed | failed | timeout | memory | error. A run passes only when the harness
 * printed a fresh random sentinel after the tests, and exited 0.
 */
import { randomBytes } from "node:crypto";
import { accessSync, constants, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { OpenloopError } from "../../errors.js";
import type { CodeVerifierConfig } from "../../spec/index.js";
import { runSandboxed, type SandboxResult, sandboxLimits } from "../sandbox/index.js";
import { JAVASCRIPT_HARNESS, PYTHON_HARNESS } from "./code-harness.js";
import { textField, type Verdict, type VerifierRecord, type VerifyOptions } from "./types.js";

/** Languages the code verifier runs. */
export type CodeLanguage = "python" | "javascript";

/** Outcome of a code run. */
export type CodeStatus = "passed" | "failed" | "timeout" | "memory" | "error";

/** What `runCode` needs. */
export interface CodeRun {
  lang: CodeLanguage;
  code: string;
  tests: string;
  timeoutS: number;
  memoryMb: number;
  unsafeNoSandbox?: boolean;
  /** Interpreter override (default /usr/bin/python3, or the running node binary). */
  runtime?: string;
}

/** What `runCode` reports. */
export interface CodeResult {
  status: CodeStatus;
  pass: boolean;
  reason?: string;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  sandboxed: boolean;
}

const MiB = 1024 * 1024;
// V8 reserves several hundred MiB of address space before running any code.
const NODE_RESERVE_MB = 1024;
const MEMORY_PATTERN =
  /MemoryError|heap out of memory|Cannot allocate memory|std::bad_alloc|Out of memory|Failed to reserve virtual memory/;

/** The interpreter used for `lang` unless overridden. */
export function defaultRuntime(lang: CodeLanguage): string {
  return lang === "python" ? "/usr/bin/python3" : process.execPath;
}

function checkRuntime(path: string, lang: CodeLanguage): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new OpenloopError("sandbox", `the ${lang} runtime '${path}' is not installed or not executable`, {
      hint:
        lang === "python" ? "install python3 (apt-get install python3)" : "run openloop with a working node",
    });
  }
}

function exitSignal(result: SandboxResult): string | null {
  if (result.signal !== null) return result.signal;
  // bwrap reports a child killed by signal N as exit code 128 + N.
  if (result.sandboxed && result.exitCode !== null && result.exitCode > 128) {
    const names: Record<number, string> = {
      6: "SIGABRT",
      9: "SIGKILL",
      11: "SIGSEGV",
      24: "SIGXCPU",
      25: "SIGXFSZ",
    };
    return names[result.exitCode - 128] ?? null;
  }
  return null;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  const line = (lines[lines.length - 1] ?? "").replace(/^openloop: /, "");
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

/** Decides the status of a finished run from its result and the sentinel. */
export function classifyRun(
  result: SandboxResult,
  sentinel: string,
  timeoutS: number,
): Omit<CodeResult, "durationMs" | "sandboxed"> {
  const signal = exitSignal(result);
  const lines = result.stdout.split("\n");
  const sentinelSeen = lines.includes(sentinel);
  const stdout = sentinelSeen
    ? lines
        .filter((line) => line !== sentinel)
        .join("\n")
        .replace(/\n$/, "")
    : result.stdout;
  const base = { exitCode: result.exitCode, signal, stdout, stderr: result.stderr };
  if (result.stderr.includes("openloop: cannot set resource limits")) {
    return { ...base, status: "error", pass: false, reason: lastLine(result.stderr) };
  }
  if (result.outputCapped !== null) {
    return {
      ...base,
      status: "error",
      pass: false,
      reason: `${result.outputCapped} exceeded its cap; the program was stopped`,
    };
  }
  if (result.timedOut || signal === "SIGXCPU") {
    return {
      ...base,
      status: "timeout",
      pass: false,
      reason: `time limit of ${timeoutS} s reached; the program was killed`,
    };
  }
  // a run that finished its tests passes even if its stderr mentions MemoryError
  if (result.exitCode === 0 && sentinelSeen) return { ...base, status: "passed", pass: true };
  if (MEMORY_PATTERN.test(result.stderr)) {
    return { ...base, status: "memory", pass: false, reason: "memory limit reached" };
  }
  if (signal === "SIGXFSZ")
    return { ...base, status: "failed", pass: false, reason: "file size limit reached" };
  const reason =
    result.exitCode === 0
      ? "exited 0 without the sentinel: the program ended before the tests finished"
      : lastLine(result.stderr) || `exit code ${result.exitCode ?? signal}`;
  return { ...base, status: "failed", pass: false, reason };
}

/**
 * Runs `code` and then `tests` in the sandbox and reports the status.
 * @example await runCode({ lang: "python", code: "def f(x): return x", tests: "assert f(1) == 1", timeoutS: 10, memoryMb: 512 })
 */
export async function runCode(run: CodeRun): Promise<CodeResult> {
  const runtime = run.runtime ?? defaultRuntime(run.lang);
  checkRuntime(runtime, run.lang);
  const sentinel = `openloop-sentinel-${randomBytes(16).toString("hex")}`;
  const python = run.lang === "python";
  const memoryBytes = (python ? run.memoryMb : run.memoryMb + NODE_RESERVE_MB) * MiB;
  const request = {
    timeoutMs: Math.round(run.timeoutS * 1000),
    cpuSeconds: Math.ceil(run.timeoutS),
    memoryBytes,
  };
  // Python sets its own limits before running untrusted code (one exec fewer than prlimit).
  const limits = sandboxLimits(request);
  const limitArgs = [
    limits.cpuSeconds,
    limits.addressSpaceBytes,
    limits.fileSizeBytes,
    limits.processes,
    limits.openFiles,
  ].map((v) => String(Math.floor(v)));
  const command = python
    ? [runtime, "-I", "-B", "-X", "utf8", "harness.py", ...limitArgs]
    : [runtime, `--max-old-space-size=${run.memoryMb}`, "--stack-size=984", "harness.cjs"];
  const ext = python ? "py" : "js";
  const result = await runSandboxed({
    command,
    files: [
      { name: python ? "harness.py" : "harness.cjs", content: python ? PYTHON_HARNESS : JAVASCRIPT_HARNESS },
      { name: `solution.${ext}`, content: run.code },
      { name: `tests.${ext}`, content: run.tests },
    ],
    stdin: `${sentinel}\n`,
    ...request,
    limitsSetBy: python ? "program" : "prlimit",
    unsafeNoSandbox: run.unsafeNoSandbox,
  });
  return {
    ...classifyRun(result, sentinel, run.timeoutS),
    durationMs: result.durationMs,
    sandboxed: result.sandboxed,
  };
}

/** The program in a response: the first fenced block (```python / ```js / ```), else the whole text. */
export function extractCode(response: string, lang: CodeLanguage): string {
  const fences = [...response.matchAll(/```([\w+-]*)[^\n]*\n([\s\S]*?)```/g)];
  if (fences.length === 0) return response;
  const wanted = lang === "python" ? ["python", "py", "python3"] : ["javascript", "js", "node"];
  const match = fences.find((fence) => wanted.includes(fence[1].toLowerCase())) ?? fences[0];
  return match[2];
}

function testsOf(
  config: CodeVerifierConfig,
  record: VerifierRecord,
  options: VerifyOptions,
): string | undefined {
  const tests = config.tests;
  if ("inline" in tests) return tests.inline;
  if ("field" in tests) return textField(record, tests.field);
  const path = isAbsolute(tests.path) ? tests.path : resolve(options.baseDir ?? ".", tests.path);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new OpenloopError("io", `cannot read the tests file: ${(error as Error).message}`, {
      where: { file: path },
    });
  }
}

/** The `code` verifier as a library function: (config, record) -> verdict. */
export async function verifyCode(
  config: CodeVerifierConfig,
  record: VerifierRecord,
  options: VerifyOptions = {},
): Promise<Verdict> {
  const response = textField(record, config.field);
  if (response === undefined)
    return { pass: false, status: "error", reason: `record has no field '${config.field}'` };
  const tests = testsOf(config, record, options);
  if (tests === undefined) return { pass: false, status: "error", reason: "record has no tests" };
  const result = await runCode({
    lang: config.lang,
    code: extractCode(response, config.lang),
    tests,
    timeoutS: config.timeout_s,
    memoryMb: config.memory_mb,
    unsafeNoSandbox: options.unsafeNoSandbox,
  });
  return { pass: result.pass, status: result.status, ...(result.reason ? { reason: result.reason } : {}) };
}
