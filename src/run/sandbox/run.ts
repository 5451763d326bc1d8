/**
 * Runs one program in the sandbox (or, only when asked explicitly, bare) and collects what it
 * did: exit code or signal, capped stdout/stderr, whether the wall-clock limit or an output cap
 * stopped it. The whole process tree is killed on timeout or overflow: bwrap is started as the
 * leader of its own process group and dies with SIGKILL; its PID namespace dies with it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { OpenloopError } from "../../errors.js";
import { findBwrap, findPrlimit, hostRoots, othersCanExecute, runtimeDirs } from "./host.js";
import { bwrapArgs, prlimitArgs, SANDBOX_PATH, type SandboxLimits } from "./layout.js";

/** What to run and under which limits. */
export interface SandboxRequest {
  /** Program and arguments; the program is an absolute path on the host (e.g. /usr/bin/python3). */
  command: string[];
  /** Files placed in the working directory before the program starts. */
  files?: { name: string; content: string | Uint8Array }[];
  /** Bytes written to the program's stdin (then closed). */
  stdin?: string;
  /** Wall-clock limit in milliseconds. */
  timeoutMs: number;
  /** Address-space limit in bytes. */
  memoryBytes: number;
  /** CPU-time limit in seconds (default: the wall-clock limit rounded up). */
  cpuSeconds?: number;
  /** Largest file the program may write (default 16 MiB). */
  fileSizeBytes?: number;
  /** Process limit (default 64). */
  processes?: number;
  /** Cap on stdout and on stderr, each, in bytes (default 1 MiB). */
  maxOutputBytes?: number;
  /** Size of the working-directory tmpfs (default 64 MiB). */
  tmpfsBytes?: number;
  /** Run without bubblewrap (no namespaces, no read-only root): only rlimits and a temp dir. */
  unsafeNoSandbox?: boolean;
  /**
   * Who applies the limits: `prlimit` (default) wraps the command; `program` means the command
   * itself sets `sandboxLimits(request)` before it runs anything untrusted (one exec fewer; the
   * code verifier's Python harness does this).
   */
  limitsSetBy?: "prlimit" | "program";
}

/** What happened. */
export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The wall-clock limit was reached and the tree was killed. */
  timedOut: boolean;
  /** `stdout` or `stderr` reached its cap and the tree was killed. */
  outputCapped: "stdout" | "stderr" | null;
  durationMs: number;
  /** False only under `unsafeNoSandbox`. */
  sandboxed: boolean;
}

const NOBODY = 65534;
const MiB = 1024 * 1024;

/** The limits a request asks for, with the defaults filled in. */
export function sandboxLimits(request: Omit<SandboxRequest, "command">): SandboxLimits {
  return {
    cpuSeconds: request.cpuSeconds ?? Math.ceil(request.timeoutMs / 1000),
    addressSpaceBytes: request.memoryBytes,
    fileSizeBytes: request.fileSizeBytes ?? 16 * MiB,
    processes: request.processes ?? 64,
    openFiles: 256,
  };
}

function checkNames(files: { name: string }[]): void {
  for (const file of files) {
    if (!/^[A-Za-z0-9_.-]+$/.test(file.name) || file.name.startsWith(".")) {
      throw new OpenloopError("usage", `sandbox file name '${file.name}' must be a plain file name`);
    }
  }
}

/**
 * Runs `request.command` inside bubblewrap and resolves with its result; never rejects for
 * anything the program does. Throws `OpenloopError("sandbox")` when bubblewrap or (for
 * `limitsSetBy: "prlimit"`) prlimit is missing, unless `unsafeNoSandbox`.
 * @example await runSandboxed({ command: ["/usr/bin/python3", "-c", "print(1)"], timeoutMs: 5000, memoryBytes: 256 * 2 ** 20 })
 */
export async function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  const files = request.files ?? [];
  checkNames(files);
  const limits = sandboxLimits(request);
  const prlimit = request.limitsSetBy === "program" ? null : findPrlimit();
  if (request.unsafeNoSandbox) return runBare(request, limits, prlimit);
  const bwrap = findBwrap();
  if (bwrap === null) {
    throw new OpenloopError(
      "sandbox",
      "bubblewrap (bwrap) is not installed; refusing to run untrusted code",
      {
        hint: "install it (Debian/Ubuntu: apt-get install bubblewrap) or pass --unsafe-no-sandbox",
      },
    );
  }
  if (prlimit === null && request.limitsSetBy !== "program") {
    throw new OpenloopError(
      "sandbox",
      "prlimit (util-linux) is not installed; cannot apply resource limits",
      {
        hint: "install util-linux",
      },
    );
  }
  const specs = files.map((file, index) => ({ name: file.name, fd: 3 + index }));
  const args = bwrapArgs({
    command: request.command,
    limits,
    files: specs,
    roots: hostRoots(),
    readOnlyDirs: runtimeDirs(request.command[0]),
    tmpfsBytes: request.tmpfsBytes ?? 64 * MiB,
    prlimit,
  });
  const root = process.getuid?.() === 0;
  if (root && !othersCanExecute(request.command[0])) {
    throw new OpenloopError(
      "sandbox",
      `the sandbox runs as nobody (uid ${NOBODY}) and cannot execute '${request.command[0]}'`,
      {
        hint: "install the runtime where every user can run it (e.g. under /usr), or run openloop as a non-root user",
      },
    );
  }
  const child = spawn(bwrap, args, {
    stdio: ["pipe", "pipe", "pipe", ...files.map(() => "pipe" as const)],
    detached: true,
    env: {},
    cwd: "/",
    // As root, RLIMIT_NPROC is not enforced: run the sandbox as nobody.
    ...(root ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  files.forEach((file, index) => {
    const pipe = child.stdio[3 + index] as Writable;
    pipe.on("error", () => {});
    pipe.end(file.content);
  });
  return collect(child, request, true);
}

function runBare(
  request: SandboxRequest,
  limits: SandboxLimits,
  prlimit: string | null,
): Promise<SandboxResult> {
  const dir = mkdtempSync(join(tmpdir(), "openloop-unsafe-"));
  for (const file of request.files ?? []) writeFileSync(join(dir, file.name), file.content);
  const command =
    prlimit === null ? request.command : [prlimit, ...prlimitArgs(limits), "--", ...request.command];
  const child = spawn(command[0], command.slice(1), {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
    env: { PATH: SANDBOX_PATH, HOME: dir, LANG: "C.UTF-8" },
    cwd: dir,
  });
  return collect(child, request, false).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function collect(
  child: ReturnType<typeof spawn>,
  request: SandboxRequest,
  sandboxed: boolean,
): Promise<SandboxResult> {
  const cap = request.maxOutputBytes ?? MiB;
  const started = performance.now();
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let outputCapped: SandboxResult["outputCapped"] = null;
    let spawnError: Error | null = null;
    const killTree = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, request.timeoutMs);
    const reader = (stream: Readable, chunks: Buffer[], which: "stdout" | "stderr") => {
      stream.on("data", (chunk: Buffer) => {
        const used = which === "stdout" ? outBytes : errBytes;
        if (used >= cap) return;
        const room = cap - used;
        const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(piece);
        if (which === "stdout") outBytes += piece.length;
        else errBytes += piece.length;
        if (chunk.length >= room) {
          outputCapped ??= which;
          killTree();
          stream.destroy();
        }
      });
      stream.on("error", () => {});
    };
    reader(child.stdout as Readable, out, "stdout");
    reader(child.stderr as Readable, err, "stderr");
    const stdin = child.stdin as Writable;
    stdin.on("error", () => {});
    stdin.end(request.stdin ?? "");
    child.on("error", (error) => {
      spawnError = error;
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      // Background processes of an unsandboxed run share the group: end them too.
      if (!sandboxed) killTree();
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: spawnError === null ? stderr : `${stderr}${String(spawnError)}`,
        timedOut,
        outputCapped,
        durationMs: performance.now() - started,
        sandboxed,
      });
    });
  });
}
