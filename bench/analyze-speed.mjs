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
import { existsSync, mkdirSync, statSync } from "node:fs";
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
const JSONL_ALL = "openloop analyze JSONL (all metrics, 200 bootstrap, 499 permutations)";
const PARQUET_ALL = "openloop analyze Parquet (all metrics)";
const JSONL_CORE = "openloop analyze JSONL (core metric only: --bootstrap 0 --permutations 1)";
const PARQUET_CORE = "openloop analyze Parquet (core metric only)";
const PANDAS = "pandas + scikit-learn JSONL (bits per sample only)";
const core = ["--json", "--bootstrap", "0", "--permutations", "1"];
const plan = [
  [JSONL_ALL, process.execPath, [...cli, jsonl, "--json"]],
  [PARQUET_ALL, process.execPath, [...cli, parquet, "--json"]],
  [JSONL_CORE, process.execPath, [...cli, jsonl, ...core]],
  [PARQUET_CORE, process.execPath, [...cli, parquet, ...core]],
  [PANDAS, "/usr/bin/python3", ["bench/analyze-bits.py", jsonl]],
];
console.log(
  `file: ${jsonl} (${(statSync(jsonl).size / 1e6).toFixed(0)} MB), ${parquet} (${(statSync(parquet).size / 1e6).toFixed(0)} MB)`,
);
console.log(
  "run                                                                      wall s   CPU s   max RSS MB",
);
const runs = {};
for (const [name, command, args] of plan) {
  const r = timed(command, args);
  runs[name] = r;
  console.log(
    `${name.padEnd(72)} ${r.wall.toFixed(1).padStart(6)} ${r.cpu.toFixed(1).padStart(7)} ${r.rssMb.toFixed(0).padStart(10)}`,
  );
}
const doc = JSON.parse(runs[JSONL_ALL].stdout);
const ours = Object.fromEntries(doc.signals.map((s) => [s.name, s.overall.bits_per_sample.value]));
const theirs = JSON.parse(runs[PANDAS].stdout.trim());
console.log(
  `\nrecords ${doc.inputs.records}, prompts ${doc.inputs.prompts}, iterations ${doc.inputs.iterations.length}`,
);
console.log(
  "bits per sample  openloop:",
  ours,
  " pandas+sklearn:",
  Object.fromEntries(Object.keys(ours).map((k) => [k, Number(theirs[k].toFixed(6))])),
);
const ratio = (a, b) =>
  `${(runs[a].cpu / runs[b].cpu).toFixed(2)}x CPU, ${(runs[a].wall / runs[b].wall).toFixed(2)}x wall`;
console.log(`JSONL / Parquet, all metrics: ${ratio(JSONL_ALL, PARQUET_ALL)}`);
console.log(`JSONL / Parquet, core metric: ${ratio(JSONL_CORE, PARQUET_CORE)}`);
console.log(`pandas+sklearn / openloop, core metric on JSONL: ${ratio(PANDAS, JSONL_CORE)}`);
console.log(`pandas+sklearn / openloop, all metrics on JSONL: ${ratio(PANDAS, JSONL_ALL)}`);
