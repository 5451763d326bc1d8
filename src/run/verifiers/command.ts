/**
 * The `command` verifier: runs any program (no shell, not sandboxed: it is the user's own
 * trusted checker) with the record as JSON on stdin. It answers with a JSON object
 * `{"pass": bool, "score": number}` on stdout, or with its exit code (0 = pass).
 */
import { spawn } from "node:child_process";
import { OpenloopError } from "../../errors.js";
import type { CommandVerifierConfig } from "../../spec/index.js";
import type { Verdict, VerifierRecord, VerifyOptions } from "./types.js";

const OUTPUT_CAP = 1024 * 1024;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(argv: string[], input: string, timeoutMs: number, cwd: string | undefined): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ["pipe", "pipe", "pipe"], detached: true, cwd });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      if (stdout.length < OUTPUT_CAP) stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < OUTPUT_CAP) stderr += chunk.toString("utf8");
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(
        new OpenloopError("input", `cannot run verifier command '${argv[0]}': ${error.message}`, {
          where: { path: "argv" },
        }),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      kill();
      resolvePromise({ code, stdout, stderr, timedOut });
    });
  });
}

function fromJson(stdout: string): { pass?: boolean; score?: number; reason?: string } | null {
  const text = stdout.trim();
  if (!text.startsWith("{")) return null;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const out: { pass?: boolean; score?: number; reason?: string } = {};
    if (typeof value.pass === "boolean") out.pass = value.pass;
    if (typeof value.score === "number" && Number.isFinite(value.score)) out.score = value.score;
    if (typeof value.reason === "string") out.reason = value.reason;
    return out;
  } catch {
    return null;
  }
}

/**
 * Runs `config.argv` with the record on stdin and turns its answer into a verdict.
 * @example await verifyCommand({ type: "command", argv: ["./check.py"], timeout_s: 30 }, { response: "..." })
 */
export async function verifyCommand(
  config: CommandVerifierConfig,
  record: VerifierRecord,
  options: VerifyOptions = {},
): Promise<Verdict> {
  const result = await run(
    config.argv,
    `${JSON.stringify(record)}\n`,
    config.timeout_s * 1000,
    options.baseDir,
  );
  if (result.timedOut)
    return { pass: false, status: "timeout", reason: `no answer within ${config.timeout_s} s` };
  const json = fromJson(result.stdout);
  const pass = json?.pass ?? result.code === 0;
  const verdict: Verdict = { pass };
  if (json?.score !== undefined) verdict.score = json.score;
  if (json?.reason !== undefined) verdict.reason = json.reason;
  else if (!pass) verdict.reason = result.stderr.trim().split("\n").pop() || `exit code ${result.code}`;
  return verdict;
}
