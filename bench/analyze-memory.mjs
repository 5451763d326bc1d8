/**
 * Benchmark: memory of `openloop analyze` on 10 million rollout records with 100,000 prompts
 * (10 iterations x 10 samples), generated directly as Parquet by DuckDB SQL (seeded by row
 * number, so the same file every time). Reports wall and CPU seconds and the max RSS of the
 * analysing process (GNU time); the goal is under 2 GB.
 * Run: npm run build && node bench/analyze-memory.mjs [records prompts]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const records = Number(process.argv[2] ?? 10_000_000);
const prompts = Number(process.argv[3] ?? 100_000);
const samples = 10;
const dir = join("bench", "out");
mkdirSync(dir, { recursive: true });
const file = join(dir, `analyze-memory-${records}-${prompts}.parquet`);

if (!existsSync(file)) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  // row i: iteration = i / (prompts * samples), prompt = (i / samples) % prompts; hash(i) drives chance
  await connection.run(`
    COPY (
      WITH r AS (
        SELECT i,
          (i // (${prompts} * ${samples}))::INTEGER AS iteration,
          ((i // ${samples}) % ${prompts})::INTEGER AS q,
          (hash(i) % 1000000)::DOUBLE / 1000000 AS u,
          (hash(i * 7 + 3) % 1000)::INTEGER AS v
        FROM range(${records}) t(i)
      ), s AS (
        SELECT *, u < ((q * 7919) % 101) / 100.0 AS pass, (q * 31) % 997 AS answer FROM r
      )
      SELECT iteration, 'p' || q AS prompt_id,
        repeat('step ', 10 + v % 30) || 'The final answer is \\boxed{' ||
          (CASE WHEN pass THEN answer ELSE answer + 1 + v % 3 END) || '}' AS response,
        (CASE WHEN pass THEN answer ELSE answer + 1 + v % 3 END)::VARCHAR AS class,
        pass AS gold,
        struct_pack(pass := pass, score := CASE WHEN pass THEN 1.0 ELSE (v % 5) / 10.0 END) AS signals
      FROM s
    ) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  console.error(`wrote ${file}`);
}

const result = spawnSync(
  "/usr/bin/time",
  ["-v", process.execPath, "dist/cli.js", "analyze", file, "--json"],
  {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  },
);
if (result.status !== 0) throw new Error(result.stderr);
const field = (name) => {
  const line = result.stderr.split("\n").find((l) => l.includes(name));
  return line ? line.slice(line.lastIndexOf(": ") + 2).trim() : "";
};
const doc = JSON.parse(result.stdout);
const [m, s] = field("Elapsed (wall clock)").split(":").slice(-2).map(Number);
const rss = Number(field("Maximum resident set size")) / 1024;
console.log(
  `records ${doc.inputs.records}, prompts ${doc.inputs.prompts}, iterations ${doc.inputs.iterations.length}`,
);
console.log(
  `wall ${(m * 60 + s).toFixed(1)} s, CPU ${(Number(field("User time")) + Number(field("System time"))).toFixed(1)} s, max RSS ${rss.toFixed(0)} MB (goal < 2048 MB): ${rss < 2048 ? "ok" : "OVER"}`,
);
