/**
 * A bounded worker pool over a list: at most `limit` tasks in flight, new tasks start in list
 * order until `stopped()` says to stop; the first failure stops new starts and is rethrown once
 * every task in flight has settled (so their completed work is kept).
 */

/** Runs `task` on every item with at most `limit` in flight. Returns how many were started. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  stopped: () => boolean,
): Promise<number> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && !stopped() && next < items.length) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return next;
}
