/**
 * The bubblewrap command line of a sandbox: which namespaces are unshared, what of the host is
 * visible (read-only), the private working directory, the environment, and the rlimits applied
 * by `prlimit` inside the sandbox. Pure: inspects nothing, spawns nothing.
 */

/** Resource limits applied to the sandboxed program (and every process it starts). */
export interface SandboxLimits {
  /** CPU seconds (RLIMIT_CPU); the kernel sends SIGXCPU, then SIGKILL one second later. */
  cpuSeconds: number;
  /** Address space in bytes (RLIMIT_AS). */
  addressSpaceBytes: number;
  /** Largest file the program may write, in bytes (RLIMIT_FSIZE). */
  fileSizeBytes: number;
  /** Processes (threads count too) the sandbox user may have at once (RLIMIT_NPROC). */
  processes: number;
  /** Open file descriptors (RLIMIT_NOFILE). */
  openFiles: number;
}

/** A file placed in the sandbox's working directory, read by bwrap from a pipe. */
export interface SandboxFileSpec {
  /** Path relative to the working directory (no `..`). */
  name: string;
  /** File descriptor number in the bwrap process that carries the content. */
  fd: number;
}

/** How the host's root directories look: symlinks (merged /usr) or real directories. */
export interface HostRoots {
  /** For each of /bin, /lib, /lib64, /sbin: its symlink target, `dir`, or `absent`. */
  entries: Record<string, string>;
}

/** The working directory inside the sandbox. */
export const SANDBOX_WORKDIR = "/work";

/** Device nodes bound into the sandbox's /dev. */
const DEVICES = ["/dev/null", "/dev/zero", "/dev/urandom"];

/** Symlinks of the sandbox's /dev: [target, link]. */
const DEVICE_LINKS: [string, string][] = [
  ["/proc/self/fd", "/dev/fd"],
  ["/proc/self/fd/0", "/dev/stdin"],
  ["/proc/self/fd/1", "/dev/stdout"],
  ["/proc/self/fd/2", "/dev/stderr"],
];

/** The PATH of the sandboxed program. */
export const SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin";

/** Arguments for `prlimit` that set `limits` (soft = hard, so the program cannot raise them). */
export function prlimitArgs(limits: SandboxLimits): string[] {
  const cpu = Math.max(1, Math.ceil(limits.cpuSeconds));
  return [
    `--cpu=${cpu}:${cpu + 1}`,
    `--as=${Math.floor(limits.addressSpaceBytes)}`,
    `--fsize=${Math.floor(limits.fileSizeBytes)}`,
    `--nproc=${Math.floor(limits.processes)}`,
    `--nofile=${Math.floor(limits.openFiles)}`,
    `--core=0`,
  ];
}

/**
 * The bwrap arguments (without the `bwrap` program itself) that run `command` in a fresh
 * sandbox: every namespace unshared (network included), /usr and the merged-/usr links
 * read-only, /proc, a minimal /dev, one size-capped private tmpfs as working directory (and /tmp),
 * a read-only root, an empty environment except PATH/HOME/LANG, a new session, death with the
 * parent.
 * @example bwrapArgs({ command: ["/usr/bin/python3", "main.py"], ... })
 */
export function bwrapArgs(options: {
  command: string[];
  limits: SandboxLimits;
  files: SandboxFileSpec[];
  roots: HostRoots;
  /** Extra host directories to show read-only at the same path (e.g. the node binary's). */
  readOnlyDirs: string[];
  /** Size of the working-directory tmpfs in bytes. */
  tmpfsBytes: number;
  /** Absolute path of `prlimit` inside the sandbox; null when the program sets its own limits. */
  prlimit: string | null;
}): string[] {
  const args = [
    "--unshare-all",
    // no extra init process: the program is PID 1 of its namespace; when it exits, the kernel
    // kills every process left in the namespace
    "--as-pid-1",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--setenv",
    "PATH",
    SANDBOX_PATH,
    "--setenv",
    "HOME",
    SANDBOX_WORKDIR,
    "--setenv",
    "LANG",
    "C.UTF-8",
    "--hostname",
    "sandbox",
    "--ro-bind",
    "/usr",
    "/usr",
  ];
  for (const [root, kind] of Object.entries(options.roots.entries)) {
    if (kind === "absent") continue;
    if (kind === "dir") args.push("--ro-bind", root, root);
    else args.push("--symlink", kind, root);
  }
  for (const dir of options.readOnlyDirs) args.push("--ro-bind", dir, dir);
  args.push("--proc", "/proc");
  // a minimal /dev: three device nodes and symlinks (each mount costs time on every run)
  for (const node of DEVICES) args.push("--dev-bind", node, node);
  for (const [target, link] of DEVICE_LINKS) args.push("--symlink", target, link);
  // one size-capped tmpfs: the working directory, also seen as /tmp and /dev/shm
  args.push("--size", String(Math.floor(options.tmpfsBytes)), "--tmpfs", SANDBOX_WORKDIR);
  args.push("--symlink", SANDBOX_WORKDIR, "/tmp", "--symlink", SANDBOX_WORKDIR, "/dev/shm");
  for (const file of options.files) {
    args.push("--file", String(file.fd), `${SANDBOX_WORKDIR}/${file.name}`);
  }
  args.push("--remount-ro", "/", "--chdir", SANDBOX_WORKDIR);
  if (options.prlimit !== null) args.push(options.prlimit, ...prlimitArgs(options.limits), "--");
  args.push(...options.command);
  return args;
}
