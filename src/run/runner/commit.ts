/**
 * Group commit over the run journal's file: entries appended while a flush is in progress wait
 * for the next one, and each flush writes every waiting line and calls fdatasync once. Every
 * `append` resolves only when its line is on disk, so a unit counts as done only once durable,
 * while many concurrent units share one disk flush (one fdatasync costs milliseconds).
 */
import { type FileHandle, open } from "node:fs/promises";

/** A journal appender whose `append` resolves once the entry is durable. */
export interface GroupJournal<T> {
  append(entry: T): Promise<void>;
  close(): Promise<void>;
}

/** Opens `path` for group-committed appends (the journal must already be opened and repaired). */
export async function openGroupJournal<T>(path: string): Promise<GroupJournal<T>> {
  const handle: FileHandle = await open(path, "a");
  let queue: { line: string; done: () => void; fail: (error: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await handle.write(batch.map((b) => b.line).join(""));
        await handle.datasync();
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.fail(error);
      }
    }
    flushing = undefined;
  };

  return {
    append(entry) {
      return new Promise<void>((done, fail) => {
        queue.push({ line: `${JSON.stringify(entry)}\n`, done, fail });
        flushing ??= flush();
      });
    },
    async close() {
      await flushing;
      await handle.close();
    },
  };
}
