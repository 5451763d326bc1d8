#!/usr/bin/env node
/**
 * Audit speed: (1) every catalog spec through loadSpec + auditSpec in-process and through the
 * whole `openloop audit` CLI process; (2) d-separation (Bayes-ball) on random DAGs of growing
 * size, side by side with networkx's d_separated (python3-networkx, up to 1e5 nodes), printing the
 * ratio; both answer the same query and must agree.
 * Run: npm run build && node bench/audit.mjs
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { auditSpec, Dag, dSeparated } from "../dist/audit/index.js";
import { loadSpec } from "../dist/spec/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const catalog = join(root, "examples/pipelines");
const cli = join(root, "dist/cli.js");

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of `fn` over at least `min` runs and about `budget` seconds. */
function time(fn, min = 5, budget = 1) {
  const times = [];
  const end = performance.now() + budget * 1000;
  while (times.length < min || (performance.now() < end && times.length < 10_000)) {
    const start = performance.now();
    fn();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

const ms = (s) => (s * 1000).toFixed(3);

console.log("== catalog audits ==");
console.log(
  "spec".padEnd(40),
  "verdict".padEnd(7),
  "in-process ms".padStart(14),
  "CLI wall ms".padStart(12),
  "CLI cpu ms".padStart(11),
);
const files = readdirSync(catalog)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
// warm-up: the first audits of a process pay for JIT compilation, reported separately below
const coldStart = performance.now();
auditSpec(loadSpec(join(catalog, files[0])));
const cold = (performance.now() - coldStart) / 1000;
for (let pass = 0; pass < 20; pass++) for (const file of files) auditSpec(loadSpec(join(catalog, file)));
let total = 0;
let worstWall = 0;
let worstCpu = 0;
for (const file of files) {
  const path = join(catalog, file);
  const verdict = auditSpec(loadSpec(path)).verdict;
  const inProcess = time(() => auditSpec(loadSpec(path)), 20, 0.3);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < 5; i++) {
    // /usr/bin/time reports the child's own CPU time, which the machine's load does not inflate
    const run = spawnSync(
      "/usr/bin/time",
      ["-f", "%e %U %S", process.execPath, cli, "audit", path, "--json"],
      {
        encoding: "utf8",
      },
    );
    const [elapsed, user, system] = run.stderr.trim().split("\n").pop().split(" ").map(Number);
    wall.push(elapsed);
    cpu.push(user + system);
  }
  total += inProcess;
  worstWall = Math.max(worstWall, median(wall));
  worstCpu = Math.max(worstCpu, median(cpu));
  console.log(
    file.padEnd(40),
    verdict.padEnd(7),
    ms(inProcess).padStart(14),
    ms(median(wall)).padStart(12),
    ms(median(cpu)).padStart(11),
  );
}
console.log(
  `first audit of a fresh process (cold): ${ms(cold)} ms; all ${files.length} catalog audits in-process (warm): ${ms(total)} ms; slowest CLI process: ` +
    `${ms(worstWall)} ms wall, ${ms(worstCpu)} ms CPU (load average ${loadavg()[0].toFixed(1)})`,
);

console.log("\n== d-separation on random DAGs (3 edges per node, 1% observed) ==");
/** A seeded random DAG: every edge goes from a lower to a higher index. */
function randomDag(n, seed) {
  let state = seed >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const edges = [];
  for (let b = 1; b < n; b++) {
    for (let k = 0; k < 3; k++) {
      const a = Math.max(0, b - 1 - Math.floor(rand() * Math.min(b, 50)));
      if (a !== b) edges.push([a, b]);
    }
  }
  const given = new Set();
  while (given.size < Math.max(1, Math.floor(n / 100))) {
    const v = 1 + Math.floor(rand() * (n - 2));
    given.add(v);
  }
  return { edges, given: [...given] };
}

const dir = mkdtempSync(join(tmpdir(), "openloop-bench-audit-"));
const sizes = [1_000, 10_000, 100_000, 1_000_000];
const rows = [];
const paths = [];
for (const n of sizes) {
  const { edges, given } = randomDag(n, n);
  const names = Array.from({ length: n }, (_, i) => `v${i}`);
  const dag = Dag.from(
    edges.map(([a, b]) => [names[a], names[b]]),
    names,
  );
  const observed = given.map((v) => names[v]);
  const x = names[0];
  const y = names[n - 1];
  let separated;
  const seconds = time(
    () => {
      separated = dSeparated(dag, [x], [y], observed);
    },
    3,
    1,
  );
  rows.push({ n, edges: dag.edgeCount, separated, seconds });
  if (n > 100_000) continue; // networkx needs about a minute per query at a million nodes
  const path = join(dir, `dag-${n}.txt`);
  writeFileSync(
    path,
    `${n} 0 ${n - 1}\n${given.join(" ")}\n${edges.map(([a, b]) => `${a} ${b}`).join("\n")}\n`,
  );
  paths.push(path);
}
const python = spawnSync("/usr/bin/python3", [join(root, "bench/audit-dsep.py"), ...paths], {
  encoding: "utf8",
  maxBuffer: 1 << 26,
});
const py =
  python.status === 0
    ? python.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
    : [];
if (python.status !== 0) console.log(`(networkx not available: ${python.stderr.trim().split("\n").pop()})`);
console.log(
  "nodes".padStart(9),
  "edges".padStart(9),
  "separated".padStart(9),
  "openloop ms".padStart(12),
  "ns/(V+E)".padStart(9),
  "networkx ms".padStart(12),
  "ratio".padStart(7),
);
rows.forEach((row, i) => {
  const other = py[i];
  if (other && other.separated !== row.separated) throw new Error(`disagreement with networkx at n=${row.n}`);
  console.log(
    String(row.n).padStart(9),
    String(row.edges).padStart(9),
    String(row.separated).padStart(9),
    ms(row.seconds).padStart(12),
    ((row.seconds * 1e9) / (row.edges + row.n)).toFixed(1).padStart(9),
    (other ? ms(other.seconds) : "n/a").padStart(12),
    (other ? `${(other.seconds / row.seconds).toFixed(1)}x` : "n/a").padStart(7),
  );
});
