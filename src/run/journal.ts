/**
 * The run's append-only journal: one JSON line per completed unit of work, written and flushed to
 * disk (fdatasync) before the unit counts as done. After a crash at any moment, reopening keeps
 * every complete line, cuts a torn last line, and tells the runner what is already done, so a
 * resumed run neither loses nor repeats a record.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from "node:fs";
import { OpenloopError } from "../errors.js";

/** An open journal that appends entries durably. */
export interface Journal<T> {
  /** Appends one entry and flushes it to disk before returning. */
  append(entry: T): void;
  close(): void;
}

/** A journal and the entries it already held (empty for a fresh run). */
export interface OpenedJournal<T> {
  journal: Journal<T>;
  entries: T[];
  /** Bytes of a torn last line that were cut (a crash mid-write). */
  truncatedBytes: number;
}

/**
 * Opens the journal at `path`. A fresh run refuses a non-empty journal (it would mix two runs);
 * `resume` reads the complete lines and cuts a torn tail.
 */
export function openJournal<T>(path: string, options: { resume: boolean }): OpenedJournal<T> {
  const exists = existsSync(path);
  const content = exists ? readFileSync(path, "utf8") : "";
  if (!options.resume && content.length > 0) {
    throw new OpenloopError("io", `a run already exists in ${path}`, {
      where: { file: path },
      hint: "pass --resume to finish it, or choose another --out directory",
    });
  }
  if (options.resume && !exists) {
    throw new OpenloopError("io", `nothing to resume: ${path} does not exist`, {
      where: { file: path },
      hint: "start the run without --resume",
    });
  }
  const end = content.lastIndexOf("\n") + 1;
  const entries: T[] = [];
  let lineNumber = 0;
  for (const line of content.slice(0, end).split("\n")) {
    lineNumber++;
    if (line === "") continue;
    try {
      entries.push(JSON.parse(line) as T);
    } catch {
      throw new OpenloopError("io", "the run journal is corrupt", {
        where: { file: path, line: lineNumber },
      });
    }
  }
  const fd = openSync(path, exists ? "r+" : "w+");
  const truncatedBytes = Buffer.byteLength(content.slice(end));
  if (truncatedBytes > 0) ftruncateSync(fd, Buffer.byteLength(content.slice(0, end)));
  closeSync(fd);
  const appendFd = openSync(path, "a");
  return {
    entries,
    truncatedBytes,
    journal: {
      append(entry) {
        writeSync(appendFd, `${JSON.stringify(entry)}\n`);
        fdatasyncSync(appendFd);
      },
      close() {
        closeSync(appendFd);
      },
    },
  };
}
