/**
 * Orchestration speed of `openloop run` over HTTP: starts `openloop serve` (the built-in model on
 * the `count` task) on a free loopback port, then runs a spec against it at concurrency 32 with
 * every sample verified (math verifier, last number against the gold count) and every prompt-unit
 * journaled (fdatasync, group commit). Prints samples per second of the whole run command
 * (audit, probe, generation, verification, journal, outputs), next to the same loop written by hand
 * in Python (bench/run-serve.py: a thread pool, the same requests, check and fsync'd journal).
 *
 *   npm run build && node bench/run-serve.mjs [--prompts 1024] [--n 8] [--iterations 2] [--concurrency 32]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const prompts = opt("prompts", 1024);
const n = opt("n", 8);
const iterations = opt("iterations", 2);
const concurrency = opt("concurrency", 32);

async function startServe() {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--task", "count", "--seed", "7"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const baseUrl = await new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`openloop serve exited ${code}: ${stderr}`)));
  });
  return { child, baseUrl };
}

const dir = mkdtempSync(join(tmpdir(), "openloop-bench-run-"));
const rows = Array.from({ length: Math.min(prompts, 1024) }, (_, code) => {
  const bits = code.toString(2).padStart(10, "0");
  return JSON.stringify({
    prompt_id: `count-${code}`,
    prompt: `How many 1s are in ${bits}?`,
    gold: String([...bits].filter((b) => b === "1").length),
  });
});
writeFileSync(join(dir, "prompts.jsonl"), `${rows.join("\n")}\n`);

const { child, baseUrl } = await startServe();
try {
  writeFileSync(
    join(dir, "spec.yaml"),
    `version: 1
name: bench-run-serve
seed: 7
iterations: ${iterations}
task: { name: count }
prompts: { source: fixed, origin: real, path: prompts.jsonl }
generator:
  role: teacher
  samples_per_prompt: ${n}
  endpoint: { base_url: ${baseUrl}, model: openloop-builtin-count, seed: 7, concurrency: ${concurrency}, timeout_s: 30 }
signals:
  - name: correct
    kind: answer-match
    verifier: { type: math, extract: last-number }
selection: { mode: filter, signals: [correct] }
`,
  );
  const command = [
    "run",
    join(dir, "spec.yaml"),
    "--out",
    join(dir, "out"),
    "--json",
    "--no-cache",
    "--concurrency",
    String(concurrency),
  ];
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, ...command], { encoding: "utf8", maxBuffer: 1 << 28 });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`openloop run failed (${result.status}): ${result.stderr}`);
  const summary = JSON.parse(result.stdout);
  const samples = summary.ledger.totals.samples + summary.ledger.totals.errors;
  console.log(
    `openloop run against openloop serve, concurrency ${concurrency}: ${rows.length} prompts x ${n} samples x ${iterations} iterations`,
  );
  console.log(
    `  samples: ${samples} (errors ${summary.ledger.totals.errors}), accept rate ${(100 * summary.ledger.totals.accept_rate).toFixed(1)}%`,
  );
  console.log(
    `  inside the run: ${summary.elapsed_s.toFixed(2)} s -> ${Math.round(samples / summary.elapsed_s)} samples/s`,
  );
  console.log(
    `  whole command (process start to exit): ${wallS.toFixed(2)} s -> ${Math.round(samples / wallS)} samples/s`,
  );
  const python = spawnSync(
    "/usr/bin/python3",
    [
      fileURLToPath(new URL("run-serve.py", import.meta.url)),
      baseUrl,
      join(dir, "prompts.jsonl"),
      String(n),
      String(iterations),
      String(concurrency),
      join(dir, "python-journal.jsonl"),
    ],
    { encoding: "utf8" },
  );
  if (python.status !== 0) throw new Error(`python baseline failed: ${python.stderr}`);
  const py = JSON.parse(python.stdout);
  console.log(
    `  hand-written Python loop (thread pool of ${concurrency}, same requests, check and fsync'd journal): ` +
      `${py.elapsed_s.toFixed(2)} s -> ${Math.round(py.samples_per_second)} samples/s`,
  );
  console.log(
    `  ratio openloop (inside the run) / Python: ${(samples / summary.elapsed_s / py.samples_per_second).toFixed(2)}x`,
  );
} finally {
  child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
