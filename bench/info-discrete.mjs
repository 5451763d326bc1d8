/**
 * Benchmark: discrete plug-in MI and CMI from typed arrays at 10 million rows, against numpy
 * (np.bincount-based plug-in) and scikit-learn's mutual_info_score on the same data.
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
for (let i = 0; i < n; i++) {
  const zi = rng.int(8);
  const xi = rng.next() < 0.5 ? zi * 2 + rng.int(2) : rng.int(16);
  z[i] = zi;
  x[i] = xi;
  y[i] = rng.next() < 0.6 ? xi : rng.int(16);
}

function best(label, fn, repeats = 5) {
  fn();
  let fastest = Number.POSITIVE_INFINITY;
  let value = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    value = fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    fastest = Math.min(fastest, seconds);
  }
  return { label, seconds: fastest, value };
}

const ours = [
  best("MI plugin", () => mutualInformation([x], [y], { unit: "nats" })),
  best("MI miller-madow", () => mutualInformation([x], [y], { estimator: "miller-madow", unit: "nats" })),
  best("CMI plugin", () => conditionalMutualInformation([x], [y], [z], { unit: "nats" })),
  best("CMI miller-madow", () =>
    conditionalMutualInformation([x], [y], [z], { estimator: "miller-madow", unit: "nats" }),
  ),
];

const dir = mkdtempSync(join(tmpdir(), "openloop-bench-"));
try {
  for (const [name, column] of [
    ["x", x],
    ["y", y],
    ["z", z],
  ]) {
    writeFileSync(join(dir, `${name}.i32`), new Uint8Array(column.buffer));
  }
  const python = `
import json, sys, time
import numpy as np
d = sys.argv[1]
x, y, z = (np.fromfile(f"{d}/{c}.i32", dtype=np.int32) for c in "xyz")
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
def best(fn, repeats):
    fn(); t = float("inf"); v = None
    for _ in range(repeats):
        t0 = time.perf_counter(); v = fn(); t = min(t, time.perf_counter() - t0)
    return {"seconds": t, "value": v}
out = {"MI plugin": best(mi, 3), "CMI plugin": best(cmi, 3)}
try:
    from sklearn.metrics import mutual_info_score
    out["MI sklearn"] = best(lambda: float(mutual_info_score(x, y)), 1)
except ImportError:
    pass
print(json.dumps(out))
`;
  const theirs = JSON.parse(execFileSync("/usr/bin/python3", ["-c", python, dir], { encoding: "utf8" }));
  const rate = (s) => `${(n / s / 1e6).toFixed(1)} M rows/s`;
  console.log(`rows: ${n.toLocaleString("en-US")}  (x: 16 values, y: 16 values, z: 8 values)`);
  for (const r of ours) {
    console.log(
      `openloop ${r.label.padEnd(18)} ${r.seconds.toFixed(4)} s  ${rate(r.seconds).padStart(16)}  value ${r.value.toFixed(6)} nats`,
    );
  }
  for (const [label, r] of Object.entries(theirs)) {
    const name = label.includes("sklearn") ? `sklearn mutual_info_score` : `numpy ${label}`;
    console.log(
      `${name.padEnd(27)} ${r.seconds.toFixed(4)} s  ${rate(r.seconds).padStart(16)}  value ${r.value.toFixed(6)} nats`,
    );
  }
  const ratio = (a, b) =>
    theirs[b] ? `${(theirs[b].seconds / ours.find((r) => r.label === a).seconds).toFixed(1)}x` : "n/a";
  console.log(
    `speed-up vs numpy: MI ${ratio("MI plugin", "MI plugin")}, CMI ${ratio("CMI plugin", "CMI plugin")}`,
  );
  console.log(`speed-up vs sklearn mutual_info_score: MI ${ratio("MI plugin", "MI sklearn")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
