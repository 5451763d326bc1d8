/**
 * Benchmark: discrete plug-in MI and CMI from typed arrays at 10 million rows, against numpy
 * (np.bincount / np.unique plug-in) and scikit-learn's mutual_info_score on the same data.
 * Rates are rows per second of CPU time of the process (user + system), i.e. per core, which is
 * robust to other load on the machine; wall-clock seconds are printed alongside.
 * Run: npm run build && node bench/info-discrete.mjs [rows]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conditionalMutualInformation, createRng, mutualInformation } from "../dist/info/index.js";

const n = Number(process.argv[2] ?? 10_000_000);
const rng = createRng(2026);
const x = new Int32Array(n);
const y = new Int32Array(n);
const z = new Int32Array(n);
// A high-cardinality pair: 100,000 x 1,000 possible cells (> the dense-table limit), so the joint
// is counted through the hash table: memory follows the ~10^6 distinct pairs, not the 10^8 cells.
const wx = new Int32Array(n);
const wy = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const zi = rng.int(8);
  const xi = rng.next() < 0.5 ? zi * 2 + rng.int(2) : rng.int(16);
  z[i] = zi;
  x[i] = xi;
  y[i] = rng.next() < 0.6 ? xi : rng.int(16);
  wx[i] = rng.int(100_000);
  wy[i] = (wx[i] + rng.int(10)) % 1000;
}

function best(fn, repeats) {
  fn();
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  let value = 0;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    value = fn();
    const used = process.cpuUsage(c0);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  return { cpu, wall, value };
}

const ours = {
  "MI plugin": best(() => mutualInformation([x], [y], { unit: "nats" }), 9),
  "MI miller-madow": best(() => mutualInformation([x], [y], { estimator: "miller-madow", unit: "nats" }), 9),
  "CMI plugin": best(() => conditionalMutualInformation([x], [y], [z], { unit: "nats" }), 9),
  "CMI miller-madow": best(
    () => conditionalMutualInformation([x], [y], [z], { estimator: "miller-madow", unit: "nats" }),
    9,
  ),
  "MI wide plugin": best(() => mutualInformation([wx], [wy], { unit: "nats" }), 3),
};

const python = `
import json, sys, time
import numpy as np
d = sys.argv[1]
x, y, z, wx, wy = (np.fromfile(f"{d}/{c}.i32", dtype=np.int32) for c in ["x", "y", "z", "wx", "wy"])
def H(counts):
    c = counts[counts > 0].astype(np.float64); n = c.sum()
    return float(np.log(n) - (c * np.log(c)).sum() / n)
def mi():
    cy = int(y.max()) + 1
    return H(np.bincount(x)) + H(np.bincount(y)) - H(np.bincount(x.astype(np.int64) * cy + y))
def cmi():
    cx, cy = int(x.max()) + 1, int(y.max()) + 1
    xz = z.astype(np.int64) * cx + x; yz = z.astype(np.int64) * cy + y
    return H(np.bincount(xz)) + H(np.bincount(yz)) - H(np.bincount(xz * cy + y)) - H(np.bincount(z))
def mi_wide():
    joint = np.unique(wx.astype(np.int64) * 1000 + wy, return_counts=True)[1]
    return H(np.bincount(wx)) + H(np.bincount(wy)) - H(joint)
def best(fn, repeats):
    fn(); cpu = wall = float("inf"); v = None
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter(); v = fn()
        cpu = min(cpu, time.process_time() - c0); wall = min(wall, time.perf_counter() - t0)
    return {"cpu": cpu, "wall": wall, "value": v}
out = {"MI plugin": best(mi, 5), "CMI plugin": best(cmi, 5), "MI wide plugin": best(mi_wide, 2)}
try:
    from sklearn.metrics import mutual_info_score
    out["MI sklearn mutual_info_score"] = best(lambda: float(mutual_info_score(x, y)), 1)
except ImportError:
    pass
print(json.dumps(out))
`;

const dir = mkdtempSync(join(tmpdir(), "openloop-bench-"));
let theirs;
try {
  for (const [name, column] of Object.entries({ x, y, z, wx, wy })) {
    writeFileSync(join(dir, `${name}.i32`), new Uint8Array(column.buffer));
  }
  theirs = JSON.parse(
    execFileSync("/usr/bin/python3", ["-c", python, dir], {
      encoding: "utf8",
      env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const line = (who, label, r) =>
  `${`${who} ${label}`.padEnd(38)} cpu ${r.cpu.toFixed(3)} s  wall ${r.wall.toFixed(3)} s  ` +
  `${(n / r.cpu / 1e6).toFixed(1).padStart(7)} M rows/s/core  value ${r.value.toFixed(6)} nats`;
console.log(
  `rows: ${n.toLocaleString("en-US")}  (x, y: 16 values, z: 8 values; wide: 100,000 x 1,000 values)`,
);
for (const [label, r] of Object.entries(ours)) console.log(line("openloop", label, r));
for (const [label, r] of Object.entries(theirs)) console.log(line("python", label, r));
for (const label of ["MI plugin", "CMI plugin", "MI wide plugin"]) {
  console.log(
    `ratio (python cpu / openloop cpu) ${label}: ${(theirs[label].cpu / ours[label].cpu).toFixed(2)}x`,
  );
}
const sk = theirs["MI sklearn mutual_info_score"];
if (sk)
  console.log(
    `ratio (sklearn mutual_info_score / openloop) MI: ${(sk.cpu / ours["MI plugin"].cpu).toFixed(1)}x`,
  );
