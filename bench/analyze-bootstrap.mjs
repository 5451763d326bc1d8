/**
 * Benchmark: wall, process CPU and main-thread CPU of the bootstrap of `analyzeRecords` alone
 * (`Batches.run` with the metric thread off, `MetricThread.bootstrap` with it on: both threads),
 * without the phases around it. Main-thread CPU comes from /proc/self/task/PID/stat (Linux, 10 ms
 * ticks).
 * Run: npx tsc -p tsconfig.build.json --outDir DIST && node bench/analyze-bootstrap.mjs DIST FILE [off|on]
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { mainThreadCpu, processCpu } from "./cpu-clocks.mjs";

const [dist = "dist", file = "bench/out/analyze-20000x5x10.parquet", mode = "off"] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
const { analyzeRecords } = await load("analyze/index.js");
const { Batches } = await load("analyze/estimate.js");
const { MetricThread } = await load("analyze/metric-thread.js");
let line = "no bootstrap ran";
/** Replaces `owner[name]` by a version that measures itself (sync or async). */
const measure = (owner, name) => {
  const original = owner[name];
  owner[name] = function (...args) {
    const start = [performance.now(), processCpu(), mainThreadCpu()];
    const done = () => {
      line = `${mode}: bootstrap ${(performance.now() - start[0]).toFixed(0)} wall ${(processCpu() - start[1]).toFixed(0)} cpu ${mainThreadCpu() - start[2]} main (ms)`;
    };
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.then(done);
    done();
    return result;
  };
};
measure(Batches.prototype, "run");
measure(MetricThread.prototype, "bootstrap");
await analyzeRecords([file], { threads: mode === "on" });
console.log(line);
