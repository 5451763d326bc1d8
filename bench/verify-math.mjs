/**
 * Benchmark: `math` verifier checks per second on one core over a mixed set of pairs (see
 * verify-math-pairs.mjs), and, when SymPy is importable by /usr/bin/python3, the same pairs
 * through a SymPy-based checker in the style of Math-Verify (bench/verify-math.py: LaTeX
 * rewritten to SymPy, then simplify(a - b) == 0) on a subset, printing the ratio.
 * Rates use the process's CPU time (user + system), i.e. per core.
 * Run: npm run build && node bench/verify-math.mjs [pairs] [python-pairs]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkMath } from "../dist/run/index.js";
import { mathPairs } from "./verify-math-pairs.mjs";

const n = Number(process.argv[2] ?? 200_000);
const pyN = Number(process.argv[3] ?? 2_000);
const pairs = mathPairs(n);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
// warm up the JIT on a slice, then measure the whole set
for (let i = 0; i < Math.min(5000, n); i += 1) checkMath(pairs[i].gold, pairs[i].pred);
const wall0 = performance.now();
const cpu0 = cpu();
let equivalent = 0;
for (const { gold, pred } of pairs) if (checkMath(gold, pred).equivalent) equivalent += 1;
const seconds = cpu() - cpu0;
const wall = (performance.now() - wall0) / 1000;
const rate = n / seconds;
console.log(`openloop math: ${n} checks, ${seconds.toFixed(2)} s CPU (${wall.toFixed(2)} s wall)`);
console.log(
  `  ${Math.round(rate).toLocaleString("en-US")} checks/s per core, ${equivalent} equivalent (${((100 * equivalent) / n).toFixed(1)}%)`,
);

const hasSympy = spawnSync("/usr/bin/python3", ["-c", "import sympy"]).status === 0;
if (!hasSympy) {
  console.log("SymPy not importable by /usr/bin/python3: no Python comparison");
} else {
  const dir = mkdtempSync(join(tmpdir(), "openloop-bench-math-"));
  try {
    const file = join(dir, "pairs.jsonl");
    const subset = pairs.slice(0, pyN);
    writeFileSync(file, subset.map((p) => JSON.stringify(p)).join("\n"));
    const script = new URL("./verify-math.py", import.meta.url).pathname;
    const out = JSON.parse(
      execFileSync("/usr/bin/python3", [script, file], { encoding: "utf8", maxBuffer: 1 << 26 }),
    );
    const pyRate = out.n / out.cpu_seconds;
    let agree = 0;
    subset.forEach((p, i) => {
      if (checkMath(p.gold, p.pred).equivalent === out.equivalent[i]) agree += 1;
    });
    console.log(`SymPy checker (Math-Verify style): ${out.n} checks, ${out.cpu_seconds.toFixed(2)} s CPU`);
    console.log(
      `  ${Math.round(pyRate).toLocaleString("en-US")} checks/s per core, ${out.equivalent.filter(Boolean).length} equivalent, ${out.errors} errors`,
    );
    console.log(`  verdicts agree on ${agree}/${subset.length} pairs`);
    console.log(`ratio openloop / SymPy: ${(rate / pyRate).toFixed(1)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
