/**
 * Benchmark: CPU seconds of the reward-hacking-channel family of `openloop analyze`
 * (`hackingChannels`, src/analyze/hacking.ts) on the 1M-record log of bench/analyze-speed.mjs.
 * Each measurement is a fresh process (cold JIT, as in one CLI run) that scans and tallies the
 * file untimed, then runs `hackingChannels` once per signal as `analyzeRecords` does (seed 0,
 * 499 permutations), timed with process.cpuUsage (user + system of the whole process, so
 * compiler and GC threads count; robust to other load on the machine). REPS processes per
 * build, median printed. With a second build directory (e.g. a build of an older commit) the
 * same is run on it, the ratio printed, and whether both builds flag the same channels.
 * Run: npm run build && node bench/analyze-hacking.mjs [FILE] [DIST] [BASE_DIST]
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPS = 3;
const PERMUTATIONS = 499;

if (process.argv[2] === "--child") {
  const [file, dist] = process.argv.slice(3);
  const root = resolve(dist);
  const { scanRecords } = await import(`${root}/analyze/scan.js`);
  const { tallyRecords } = await import(`${root}/analyze/tally.js`);
  const { discretise } = await import(`${root}/analyze/variables.js`);
  const { buildLayout } = await import(`${root}/analyze/layout.js`);
  const { Batches } = await import(`${root}/analyze/estimate.js`);
  const { hackingChannels } = await import(`${root}/analyze/hacking.js`);
  const scan = await scanRecords([file], {}, { spill: true, seed: 0 });
  const signals = scan.signals.filter((s) => s.count > 0).map(discretise);
  const features = scan.features.filter((f) => f.count > 0).map(discretise);
  let tally;
  try {
    tally = await tallyRecords(scan, signals, features);
  } finally {
    scan.spill?.dispose();
  }
  const layout = buildLayout(tally, scan.iterations, scan.prompts.size);
  const batches = new Batches(scan.prompts.size);
  let cpu = 0;
  const flags = [];
  tally.signals.forEach((signal, index) => {
    const start = process.cpuUsage();
    const channels = hackingChannels(tally, layout, signal, {
      unit: "bits",
      permutations: PERMUTATIONS,
      seed: index * 104729,
      batches,
    });
    const used = process.cpuUsage(start);
    cpu += (used.user + used.system) / 1e6;
    const flagged = (list, scope) =>
      list.filter((c) => c.flagged).map((c) => `${signal.disc.name}/${scope}/${c.feature}`);
    flags.push(...flagged(channels.overall, "all"));
    channels.perIteration.forEach((list, i) => {
      flags.push(...flagged(list, `iteration ${i}`));
    });
  });
  process.stdout.write(JSON.stringify({ cpu, flags }));
} else {
  const file = process.argv[2] ?? "bench/out/analyze-20000x5x10.jsonl";
  const dists = process.argv.slice(3, 5);
  if (dists.length === 0) dists.push("dist");
  const self = fileURLToPath(import.meta.url);
  const results = dists.map((dist) => {
    const runs = [];
    for (let r = 0; r < REPS; r++) {
      runs.push(
        JSON.parse(execFileSync(process.execPath, [self, "--child", file, dist], { encoding: "utf8" })),
      );
    }
    const cpu = runs.map((run) => run.cpu).sort((a, b) => a - b);
    const median = cpu[Math.floor(cpu.length / 2)];
    console.log(
      `${dist}: hackingChannels ${median.toFixed(3)} s CPU (median of ${REPS}: ${cpu.map((c) => c.toFixed(3)).join(", ")}); flagged: ${runs[0].flags.join(", ") || "none"}`,
    );
    return { median, flags: runs[0].flags.join("\n") };
  });
  if (results.length === 2) {
    console.log(`CPU ${dists[1]} / ${dists[0]}: ${(results[1].median / results[0].median).toFixed(1)}x`);
    console.log(`same flagged channels: ${results[0].flags === results[1].flags}`);
  }
}
