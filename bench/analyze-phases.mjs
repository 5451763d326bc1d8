/**
 * Benchmark: wall, process CPU and main-thread CPU of each phase of `analyzeRecords` (first pass,
 * tally, metrics, bootstrap) on one log, with the metric worker thread forced off or on (or
 * automatic). Main-thread CPU comes from /proc/self/task/PID/stat (Linux, 10 ms ticks).
 * Run: npx tsc -p tsconfig.build.json --outDir DIST && node bench/analyze-phases.mjs DIST FILE [off|on|auto]
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { mainThreadCpu, processCpu } from "./cpu-clocks.mjs";

const [dist = "dist", file = "bench/out/analyze-20000x5x10.parquet", mode = "auto"] = process.argv.slice(2);
const { analyzeRecords } = await import(pathToFileURL(resolve(dist, "analyze/index.js")).href);
const marks = [];
const mark = (message) => marks.push([message, performance.now(), processCpu(), mainThreadCpu()]);
mark("start");
await analyzeRecords([file], { onProgress: mark, threads: mode === "auto" ? undefined : mode === "on" });
mark("end");
const at = (prefix) => marks.find(([message]) => message.startsWith(prefix));
const span = (a, b) =>
  `${(b[1] - a[1]).toFixed(0)} wall ${(b[2] - a[2]).toFixed(0)} cpu ${(b[3] - a[3]).toFixed(0)} main`;
console.log(
  `${mode}: first pass ${span(at("pass 1"), at("pass 2"))} | tally ${span(at("pass 2"), at("computing"))} | metrics ${span(at("computing"), at("bootstrap"))} | bootstrap ${span(at("bootstrap"), at("end"))} | post-scan ${span(at("pass 2"), at("end"))} (ms)`,
);
