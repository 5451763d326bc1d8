/**
 * Benchmark: the first pass of `openloop analyze` (`scanRecords` with a spill, src/analyze/scan.ts)
 * on the 1M-record log of bench/analyze-speed.mjs, as Parquet (the columnar path: worker threads
 * read, the main thread consumes) and as JSONL (the row path). Each measurement is a fresh
 * process (cold JIT and worker start-up, as in one CLI run); wall seconds and CPU seconds
 * (process.cpuUsage: user + system of every thread of the process, DuckDB's and the workers'
 * included). REPS processes per build and format, medians printed. With a second build
 * directory (e.g. a build of an older commit) the same is run on it and the ratios printed.
 * `--parquet` skips JSONL; `--reps N` sets REPS (builds are interleaved run by run); `--parts`
 * also times, per build, the DuckDB plan, one reader alone over all units on the main thread
 * (no consumer), and DuckDB's projection alone (chunks fetched and dropped).
 * Run: npm run build && node bench/analyze-firstpass.mjs [DIST] [BASE_DIST] [--parquet] [--reps N] [--parts]
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const LOG = "bench/out/analyze-20000x5x10";
const flags = process.argv.slice(2);
const REPS = flags.includes("--reps") ? Number(flags[flags.indexOf("--reps") + 1]) : 3;

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

if (process.argv[2] === "--parts-child") {
  const [file, dist] = process.argv.slice(3);
  const records = await import(`${resolve(dist)}/records/index.js`);
  const { runScanReader } = await import(`${resolve(dist)}/analyze/scan-reader.js`);
  const { hashString } = await import(`${resolve(dist)}/analyze/table.js`);
  const time = async (run) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    await run();
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
  let plan;
  const planned = await time(async () => {
    plan = await records.planColumnarRecords([file], {});
  });
  const all = plan.job.units.map((_, u) => u);
  const texts = [...plan.promptIds.values()];
  const setup = {
    job: plan.job,
    units: all,
    promptKeys: Float64Array.from(plan.promptIds.keys()),
    promptHashes: Float64Array.from(texts, (text) => hashString(text, 0)),
    seed: 0,
  };
  const recycled = [];
  const reader = await time(() =>
    runScanReader(
      setup,
      (m) => m.type === "chunk" && recycled.push(m.data),
      async () => {},
      recycled,
    ),
  );
  const duckdb = await time(() =>
    records.readColumnarUnits({ ...plan.job, hasResponse: false }, all, () => {}),
  );
  console.log(JSON.stringify({ plan: planned, reader, duckdb }));
  process.exit(0);
}

const dists = flags.filter((f, i) => !f.startsWith("--") && flags[i - 1] !== "--reps");
if (dists.length === 0) dists.push("dist");
for (const ext of ["parquet", "jsonl"]) {
  if (!existsSync(`${LOG}.${ext}`))
    throw new Error(`${LOG}.${ext} is missing: run node bench/analyze-speed.mjs first`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const child = (mode, ext, dist) =>
  JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, `${LOG}.${ext}`, dist], {
      encoding: "utf8",
    }),
  );
const exts = flags.includes("--parquet") ? ["parquet"] : ["parquet", "jsonl"];
const results = {};
for (const ext of exts) {
  const runs = Object.fromEntries(dists.map((dist) => [dist, []]));
  // builds interleaved run by run, so a change in the machine's load hits them alike
  for (let i = 0; i < REPS; i++) for (const dist of dists) runs[dist].push(child("--child", ext, dist));
  for (const dist of dists) {
    const wall = median(runs[dist].map((r) => r.wall));
    const cpu = median(runs[dist].map((r) => r.cpu));
    results[`${dist} ${ext}`] = { wall, cpu };
    console.log(
      `${dist} ${ext}: first pass ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (median of ${REPS})`,
    );
  }
}
if (flags.includes("--parts")) {
  for (const dist of dists) {
    const runs = Array.from({ length: REPS }, () => child("--parts-child", "parquet", dist));
    const show = (part) =>
      `${median(runs.map((r) => r[part].wall)).toFixed(2)} s wall, ${median(runs.map((r) => r[part].cpu)).toFixed(2)} s CPU`;
    console.log(
      `${dist} parquet parts (medians of ${REPS}): plan ${show("plan")}; one reader alone ${show("reader")}; DuckDB projection alone ${show("duckdb")}`,
    );
  }
}
if (dists.length === 2) {
  const [a, b] = dists;
  for (const ext of exts) {
    const x = results[`${a} ${ext}`];
    const y = results[`${b} ${ext}`];
    console.log(
      `${ext}: ${b} / ${a} = ${(y.wall / x.wall).toFixed(2)}x wall, ${(y.cpu / x.cpu).toFixed(2)}x CPU`,
    );
  }
}
