#!/usr/bin/env node
/**
 * Benchmark: KSG mutual information (algorithm 1, k = 3) on 2-D data (X, Y each 1-D, correlated
 * Gaussian, N = 100,000), openloop (built dist/) against scikit-learn's
 * mutual_info_regression(X, y, n_neighbors=3, discrete_features=False) run by /usr/bin/python3
 * (Debian's python3-sklearn, installed with apt-get when absent), on the same data written to a
 * temporary file. Runs alternate between the two tools; each time (wall clock, and the process's
 * CPU time, steadier on a shared machine) covers the estimator call only
 * (preprocessing included: scikit-learn scales and adds 1e-10 noise; openloop is asked for the
 * same, `transform: "standardize"` and its default 1e-10 jitter). Estimates are compared in nats.
 *
 * Usage: npm run build && node bench/info-knn.mjs [--n 100000] [--k 3] [--rho 0.6] [--repeats 5] [--seed 1]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = "/usr/bin/python3";

const { values: args } = parseArgs({
  options: {
    n: { type: "string", default: "100000" },
    k: { type: "string", default: "3" },
    rho: { type: "string", default: "0.6" },
    repeats: { type: "string", default: "5" },
    seed: { type: "string", default: "1" },
  },
});
const n = Number(args.n);
const k = Number(args.k);
const rho = Number(args.rho);
const repeats = Number(args.repeats);

let openloop;
try {
  openloop = await import(join(here, "..", "dist", "index.js"));
} catch (error) {
  console.error(`cannot load dist/index.js (${error.message}); run \`npm run build\` first`);
  process.exit(2);
}
const { createRng, frenzelPompeCMI, klEntropy, ksgMutualInformation, mixedMutualInformation } = openloop;

function ensureSklearn() {
  const probe = () => spawnSync(PYTHON, ["-c", "import sklearn"], { stdio: "ignore" }).status === 0;
  if (probe()) return;
  console.error("scikit-learn not found for /usr/bin/python3: installing Debian's python3-sklearn");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  for (const step of [
    ["apt-get", "update"],
    ["apt-get", "install", "-y", "--no-install-recommends", "python3-sklearn"],
  ]) {
    const [cmd, ...rest] = [...sudo, ...step];
    const result = spawnSync(cmd, rest, { stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) {
      console.error(`\`${[cmd, ...rest].join(" ")}\` failed`);
      process.exit(2);
    }
  }
  if (!probe()) {
    console.error("python3-sklearn installed but `import sklearn` still fails");
    process.exit(2);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

ensureSklearn();

// Data: y = rho x + sqrt(1 - rho^2) e, from openloop's seeded generator.
const rng = createRng(Number(args.seed));
const x = new Float64Array(n);
const y = new Float64Array(n);
const rows = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  x[i] = rng.normal();
  y[i] = rho * x[i] + Math.sqrt(1 - rho * rho) * rng.normal();
  rows[2 * i] = x[i];
  rows[2 * i + 1] = y[i];
}
const dir = mkdtempSync(join(tmpdir(), "openloop-bench-knn-"));
const dataFile = join(dir, "xy.f64");
writeFileSync(dataFile, new Uint8Array(rows.buffer));

const ours = [];
const theirs = [];
const oursCpu = [];
const theirsCpu = [];
let ourMi = Number.NaN;
let theirMi = Number.NaN;
let version = "?";
try {
  for (let r = 0; r < repeats; r++) {
    const py = spawnSync(PYTHON, [join(here, "info-knn.py"), dataFile, String(n), String(k), "1"], {
      encoding: "utf8",
    });
    if (py.status !== 0) {
      console.error(py.stderr);
      process.exit(2);
    }
    const result = JSON.parse(py.stdout.trim().split("\n").pop());
    theirs.push(result.seconds[0]);
    theirsCpu.push(result.cpu_seconds[0]);
    theirMi = result.mi_nats;
    version = result.version;

    const start = performance.now();
    const cpuStart = process.cpuUsage();
    ourMi = ksgMutualInformation([x], [y], { k, unit: "nats", transform: "standardize" });
    const cpu = process.cpuUsage(cpuStart);
    ours.push((performance.now() - start) / 1000);
    oursCpu.push((cpu.user + cpu.system) / 1e6);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const truth = -0.5 * Math.log(1 - rho * rho);
const fmt = (s) => `${s.toFixed(3)} s`;
const times = (wall, cpu) =>
  `wall median ${fmt(median(wall))} (min ${fmt(Math.min(...wall))})   CPU median ${fmt(median(cpu))}`;
console.log(
  `KSG mutual information, 2-D correlated Gaussian (rho = ${rho}), N = ${n}, k = ${k}, ${repeats} runs each`,
);
console.log(`closed form                                  ${truth.toFixed(6)} nats`);
console.log(
  `openloop ksgMutualInformation                ${ourMi.toFixed(6)} nats   ${times(ours, oursCpu)}`,
);
console.log(
  `scikit-learn ${version} mutual_info_regression ${theirMi.toFixed(6)} nats   ${times(theirs, theirsCpu)}`,
);
console.log(`|difference| ${Math.abs(ourMi - theirMi).toExponential(2)} nats`);
console.log(
  `speed ratio (scikit-learn / openloop, medians): wall ${(median(theirs) / median(ours)).toFixed(2)}x, CPU ${(median(theirsCpu) / median(oursCpu)).toFixed(2)}x`,
);

// The other kNN estimators on the same N (openloop only: one run each, for scale).
const z = new Float64Array(n);
const codes = new Float64Array(n);
for (let i = 0; i < n; i++) {
  z[i] = rng.normal();
  codes[i] = rng.int(4);
}
const noisy = codes.map((c) => c + 2 * rng.next());
const others = [
  ["klEntropy, 2-D (Euclidean)", () => klEntropy([x, y])],
  ["ksgMutualInformation, algorithm 2", () => ksgMutualInformation([x], [y], { k, algorithm: 2 })],
  ["frenzelPompeCMI, X, Y, Z 1-D each", () => frenzelPompeCMI([x], [y], [z], { k })],
  [
    "mixedMutualInformation, X in {0..3}, Y ~ U[X, X+2]",
    () => mixedMutualInformation([codes], [noisy], { k }),
  ],
];
console.log(`other openloop kNN estimators at N = ${n} (one run each):`);
for (const [name, run] of others) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const value = run();
  const cpu = process.cpuUsage(cpuStart);
  const wall = (performance.now() - start) / 1000;
  console.log(
    `  ${name.padEnd(52)} wall ${fmt(wall)}   CPU ${fmt((cpu.user + cpu.system) / 1e6)}   ${value.toFixed(4)} bits`,
  );
}
