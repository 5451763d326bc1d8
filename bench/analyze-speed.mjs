/**
 * Benchmark: `openloop analyze` end to end on 1 million rollout records (20,000 prompts x 5
 * iterations x 10 samples), JSONL and Parquet of the same records, side by side with the core
 * metric (bits per sample per signal) computed by pandas + scikit-learn on the same JSONL file
 * (Debian's pandas has no Parquet engine: no pyarrow or fastparquet).
 * Each run is a separate process measured by GNU time: wall-clock seconds, CPU seconds
 * (user + system: robust to other load on the machine) and max RSS.
 * Run: npm run build && node bench/analyze-speed.mjs [prompts iterations samples]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [prompts = "20000", iterations = "5", samples = "10"] = process.argv.slice(2);
const dir = join("bench", "out");
mkdirSync(dir, { recursive: true });
const base = join(dir, `analyze-${prompts}x${iterations}x${samples}`);
const jsonl = `${base}.jsonl`;
const parquet = `${base}.parquet`;
if (!existsSync(jsonl) || !existsSync(parquet)) {
  execFileSync(
    process.execPath,
    ["bench/analyze-generate.mjs", jsonl, prompts, iterations, samples, "--parquet"],
    {
      stdio: "inherit",
    },
  );
}

/** Runs a command under GNU time; returns its stdout, wall and CPU seconds and max RSS (MB). */
function timed(command, args) {
  const result = spawnSync("/usr/bin/time", ["-v", command, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
  const field = (name) => {
    const line = result.stderr.split("\n").find((l) => l.includes(name));
    return line ? line.slice(line.lastIndexOf(": ") + 2).trim() : "";
  };
  const [m, s] = field("Elapsed (wall clock)").split(":").slice(-2).map(Number);
  return {
    stdout: result.stdout,
    wall: m * 60 + s,
    cpu: Number(field("User time")) + Number(field("System time")),
    rssMb: Number(field("Maximum resident set size")) / 1024,
  };
}

const cli = ["dist/cli.js", "analyze"];
const runs = {
  "openloop analyze JSONL (all metrics, 200 bootstrap, 499 permutations)": timed(process.execPath, [
    ...cli,
    jsonl,
    "--json",
  ]),
  "openloop analyze Parquet (all metrics)": timed(process.execPath, [...cli, parquet, "--json"]),
  "openloop analyze JSONL (core metric only: --bootstrap 0 --permutations 1)": timed(process.execPath, [
    ...cli,
    jsonl,
    "--json",
    "--bootstrap",
    "0",
    "--permutations",
    "1",
  ]),
  "pandas + scikit-learn JSONL (bits per sample only)": timed("/usr/bin/python3", [
    "bench/analyze-bits.py",
    jsonl,
  ]),
  "pandas + scikit-learn Parquet (bits per sample only)": timed("/usr/bin/python3", [
    "bench/analyze-bits.py",
    parquet,
  ]),
};

const records = JSON.parse(
  runs["openloop analyze JSONL (all metrics, 200 bootstrap, 499 permutations)"].stdout,
);
const ours = Object.fromEntries(records.signals.map((s) => [s.name, s.overall.bits_per_sample.value]));
const theirs = JSON.parse(runs["pandas + scikit-learn JSONL (bits per sample only)"].stdout.trim());
console.log(
  `records: ${records.inputs.records}, prompts: ${records.inputs.prompts}, file: ${jsonl} (${(readFileSync(jsonl).length / 1e6).toFixed(0)} MB)`,
);
console.log(
  "bits per sample  openloop:",
  ours,
  " pandas+sklearn:",
  Object.fromEntries(Object.keys(ours).map((k) => [k, Number(theirs[k].toFixed(6))])),
);
console.log("");
console.log(
  "run                                                                      wall s   CPU s   max RSS MB",
);
for (const [name, r] of Object.entries(runs)) {
  console.log(
    `${name.padEnd(72)} ${r.wall.toFixed(1).padStart(6)} ${r.cpu.toFixed(1).padStart(7)} ${r.rssMb.toFixed(0).padStart(10)}`,
  );
}
const j = runs["openloop analyze JSONL (all metrics, 200 bootstrap, 499 permutations)"];
const p = runs["openloop analyze Parquet (all metrics)"];
const core = runs["openloop analyze JSONL (core metric only: --bootstrap 0 --permutations 1)"];
const py = runs["pandas + scikit-learn JSONL (bits per sample only)"];
console.log("");
console.log(
  `JSONL / Parquet CPU ratio: ${(j.cpu / p.cpu).toFixed(2)}x (wall ${(j.wall / p.wall).toFixed(2)}x)`,
);
console.log(
  `pandas+sklearn / openloop (core metric, JSONL) CPU ratio: ${(py.cpu / core.cpu).toFixed(2)}x (wall ${(py.wall / core.wall).toFixed(2)}x)`,
);
console.log(
  `pandas+sklearn / openloop (all metrics, JSONL) CPU ratio: ${(py.cpu / j.cpu).toFixed(2)}x (wall ${(py.wall / j.wall).toFixed(2)}x)`,
);
