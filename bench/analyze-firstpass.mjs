/**
 * Benchmark: the first pass of `openloop analyze` (`scanRecords` with a spill, src/analyze/scan.ts)
 * on the 1M-record log of bench/analyze-speed.mjs, as Parquet (the columnar path: worker threads
 * read, the main thread consumes) and as JSONL (the row path). Each measurement is a fresh
 * process (cold JIT and worker start-up, as in one CLI run); wall seconds and CPU seconds
 * (process.cpuUsage: user + system of every thread of the process, DuckDB's and the workers'
 * included). REPS processes per build and format, medians printed. With a second build
 * directory (e.g. a build of an older commit) the same is run on it and the ratios printed.
 * Run: npm run build && node bench/analyze-firstpass.mjs [DIST] [BASE_DIST]
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPS = 3;
const LOG = "bench/out/analyze-20000x5x10";

if (process.argv[2] === "--child") {
  const [file, dist] = process.argv.slice(3);
  const { scanRecords } = await import(`${resolve(dist)}/analyze/scan.js`);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const scan = await scanRecords([file], {}, { spill: true, seed: 0 });
  const used = process.cpuUsage(cpu);
  scan.spill?.dispose();
  console.log(
    JSON.stringify({ wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 }),
  );
  process.exit(0);
}

const dists = [process.argv[2] ?? "dist", process.argv[3]].filter((d) => d !== undefined);
for (const ext of ["parquet", "jsonl"]) {
  if (!existsSync(`${LOG}.${ext}`))
    throw new Error(`${LOG}.${ext} is missing: run node bench/analyze-speed.mjs first`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const dist of dists) {
  for (const ext of ["parquet", "jsonl"]) {
    const runs = [];
    for (let i = 0; i < REPS; i++) {
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), "--child", `${LOG}.${ext}`, dist],
        {
          encoding: "utf8",
        },
      );
      runs.push(JSON.parse(out));
    }
    const wall = median(runs.map((r) => r.wall));
    const cpu = median(runs.map((r) => r.cpu));
    results[`${dist} ${ext}`] = { wall, cpu };
    console.log(
      `${dist} ${ext}: first pass ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (median of ${REPS})`,
    );
  }
}
if (dists.length === 2) {
  const [a, b] = dists;
  for (const ext of ["parquet", "jsonl"]) {
    const x = results[`${a} ${ext}`];
    const y = results[`${b} ${ext}`];
    console.log(
      `${ext}: ${b} / ${a} = ${(y.wall / x.wall).toFixed(2)}x wall, ${(y.cpu / x.cpu).toFixed(2)}x CPU`,
    );
  }
}
