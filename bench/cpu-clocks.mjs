/**
 * CPU clocks for the benchmarks, in milliseconds: the whole process (every thread, from
 * process.cpuUsage) and the main thread alone (Linux: /proc/self/task/PID/stat, 10 ms ticks).
 */
import { readFileSync } from "node:fs";

/** User + system CPU of the process, every thread. */
export function processCpu() {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** User + system CPU of the main thread. */
export function mainThreadCpu() {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
