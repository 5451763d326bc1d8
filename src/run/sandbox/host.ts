/**
 * What the sandbox needs from the host: where bwrap and prlimit live, how /bin and /lib are laid
 * out (merged /usr or not), and which directories a runtime needs to be visible read-only.
 */
import { accessSync, constants, lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";

const SEARCH = ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin"];

function findExecutable(name: string): string | null {
  for (const dir of SEARCH) {
    const path = `${dir}/${name}`;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** Path of bubblewrap, or null when it is not installed. OPENLOOP_BWRAP overrides the search. */
export function findBwrap(): string | null {
  const override = process.env.OPENLOOP_BWRAP;
  if (override !== undefined) {
    try {
      accessSync(override, constants.X_OK);
      return override;
    } catch {
      return null;
    }
  }
  return findExecutable("bwrap");
}

/** Path of util-linux `prlimit`, or null. It must live under /usr to be visible in the sandbox. */
export function findPrlimit(): string | null {
  for (const path of ["/usr/bin/prlimit", "/bin/prlimit"]) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** Whether the sandbox can run here (bwrap and prlimit present). */
export function sandboxAvailable(): boolean {
  return findBwrap() !== null && findPrlimit() !== null;
}

/** The host's /bin, /lib, /lib64, /sbin: symlink target (merged /usr), `dir`, or `absent`. */
export function hostRoots(): { entries: Record<string, string> } {
  const entries: Record<string, string> = {};
  for (const root of ["/bin", "/lib", "/lib64", "/sbin"]) {
    try {
      const stat = lstatSync(root);
      entries[root] = stat.isSymbolicLink() ? readlinkSync(root) : stat.isDirectory() ? "dir" : "absent";
    } catch {
      entries[root] = "absent";
    }
  }
  return { entries };
}

/** Directories outside /usr that a runtime binary needs (its own directory), read-only. */
export function runtimeDirs(program: string): string[] {
  if (program.startsWith("/usr/") || /^\/(bin|sbin|lib|lib64)\//.test(program)) return [];
  return [dirname(program)];
}

/**
 * Whether a user other than the owner (the sandbox runs as nobody when openloop is root) can
 * execute `program`: every directory on its real path must be world-searchable and the file
 * world-executable.
 */
export function othersCanExecute(program: string): boolean {
  let real: string;
  try {
    real = realpathSync(program);
  } catch {
    return false;
  }
  const parts = real.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i += 1) {
    const path = `/${parts.slice(0, i + 1).join("/")}`;
    const mode = statSync(path).mode;
    const needed = i === parts.length - 1 ? 0o005 : 0o001;
    if ((mode & needed) !== needed) return false;
  }
  return true;
}
