/** A counting semaphore: at most `limit` tasks run at once, the rest wait in arrival order. */

/** Runs tasks with bounded concurrency. */
export interface Semaphore {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** Creates a semaphore admitting `limit` concurrent tasks; a finishing task hands its slot to the next waiter. */
export function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(task) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}
