/**
 * Benchmark: CPU seconds of the second pass of `openloop analyze` — writing the spill
 * (`Spill.write`, called once per record by the first pass) and counting it (`tallyRecords`) —
 * on the 1M-record log of bench/analyze-speed.mjs. The first pass runs once to learn the
 * variables and to capture the rows it writes; the rows are then replayed into a fresh spill
 * and tallied, several times, each timed with process.cpuUsage (user + system, robust to other
 * load on the machine). The replay loop's own cost (a writer that only reads its arguments) is
 * printed and subtracted. With a second build directory the same is run on it (e.g. a build of
 * an older commit) and the ratio printed; a digest of the tally shows both count the same.
 * Run: npm run build && node bench/analyze-tally.mjs [FILE] [DIST] [BASE_DIST] (FILE: JSONL or CSV)
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";

const file = process.argv[2] ?? "bench/out/analyze-20000x5x10.jsonl";
const dists = process.argv.slice(3, 5);
if (dists.length === 0) dists.push("dist");
const REPS = 5;
const seconds = (u) => (u.user + u.system) / 1e6;

/** Median CPU seconds of writing and of tallying the rows of `file` with the build in `dist`. */
async function measure(dist) {
  const root = resolve(dist);
  const { scanRecords } = await import(`${root}/analyze/scan.js`);
  const { tallyRecords } = await import(`${root}/analyze/tally.js`);
  const { discretise } = await import(`${root}/analyze/variables.js`);
  const { Spill } = await import(`${root}/analyze/spill.js`);
  const W = 32;
  let cap = 1 << 16;
  let rows = 0;
  let fixed = new Float64Array(cap * 5);
  let counts = new Int32Array(cap);
  let values = new Float64Array(cap * W);
  const write = Spill.prototype.write;
  Spill.prototype.write = (prompt, iteration, cls, hash, gold, row, count) => {
    if (rows === cap) {
      cap *= 2;
      const grow = (a, n) => {
        const b = new a.constructor(cap * n);
        b.set(a);
        return b;
      };
      fixed = grow(fixed, 5);
      counts = grow(counts, 1);
      values = grow(values, W);
    }
    fixed.set([prompt, iteration, cls, hash, gold], rows * 5);
    counts[rows] = count;
    values.set(row.subarray(0, count), rows * W);
    rows++;
  };
  const scan = await scanRecords([file], {}, { spill: true, seed: 0 });
  Spill.prototype.write = write;
  scan.spill.dispose();
  // the column-by-column Parquet pass spills whole columns (Spill.writeColumns), not rows
  if (rows === 0) throw new Error(`${file}: no rows went through Spill.write (give a JSONL file)`);
  const signals = scan.signals.filter((s) => s.count > 0).map(discretise);
  const features = scan.features.filter((f) => f.count > 0).map(discretise);
  const replay = (target) => {
    const row = new Float64Array(W);
    for (let i = 0; i < rows; i++) {
      const n = counts[i];
      for (let k = 0; k < n; k++) row[k] = values[i * W + k];
      const f = i * 5;
      target.write(fixed[f], fixed[f + 1], fixed[f + 2], fixed[f + 3], fixed[f + 4], row, n);
    }
  };
  const sink = {
    sum: 0,
    write(prompt, _iteration, _cls, _hash, _gold, row, count) {
      this.sum += prompt + row[0] + count;
    },
  };
  const loop = [];
  const writes = [];
  const tallies = [];
  let digest = "";
  for (let r = 0; r < REPS; r++) {
    let t = process.cpuUsage();
    replay(sink);
    loop.push(seconds(process.cpuUsage(t)));
    t = process.cpuUsage();
    const spill = new Spill();
    replay(spill);
    writes.push(seconds(process.cpuUsage(t)));
    t = process.cpuUsage();
    const tally = await tallyRecords({ ...scan, spill }, signals, features);
    tallies.push(seconds(process.cpuUsage(t)));
    spill.dispose();
    const hash = createHash("sha256");
    const put = (a) => hash.update(JSON.stringify(Array.from(a ?? [])));
    for (const key of [
      "cellPrompt",
      "cellIter",
      "cellN",
      "stratumCell",
      "stratumClass",
      "stratumN",
      "pairStratum",
      "pairN",
    ])
      put(tally[key]);
    for (const s of tally.signals) {
      put(s.counts);
      put(s.gold);
      for (const f of s.features) put(f.counts);
      hash.update(`${s.repeated}/${s.inconsistent}`);
    }
    digest = hash.digest("hex").slice(0, 16);
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const result = {
    rows,
    loop: median(loop),
    write: median(writes) - median(loop),
    tally: median(tallies),
    digest,
  };
  console.log(
    `${dist}: ${rows} rows, write ${result.write.toFixed(3)} s (replay loop ${result.loop.toFixed(3)} s subtracted), ` +
      `tally ${result.tally.toFixed(3)} s, together ${(result.write + result.tally).toFixed(3)} s CPU ` +
      `(median of ${REPS}; tally digest ${digest})`,
  );
  return result;
}

const results = [];
for (const dist of dists) results.push(await measure(dist));
if (results.length === 2) {
  const [a, b] = results;
  console.log(
    `${dists[1]} / ${dists[0]}: ${((b.write + b.tally) / (a.write + a.tally)).toFixed(1)}x the CPU; ` +
      `tallies ${a.digest === b.digest ? "identical" : "DIFFER"}`,
  );
}
