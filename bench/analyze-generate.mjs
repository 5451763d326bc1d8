/**
 * Writes a synthetic rollout log for the analyze benchmarks: PROMPTS prompts x ITERATIONS
 * iterations x SAMPLES responses, as JSON Lines and (optionally) Parquet via DuckDB. Each prompt
 * has a pass rate; responses are short math-style texts whose final answer is the class.
 * Usage: node bench/analyze-generate.mjs OUT.jsonl PROMPTS ITERATIONS SAMPLES [--parquet]
 */
import { createWriteStream } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [out, promptsArg, iterationsArg, samplesArg, ...flags] = process.argv.slice(2);
if (!out || !promptsArg) {
  console.error("usage: node bench/analyze-generate.mjs OUT.jsonl PROMPTS ITERATIONS SAMPLES [--parquet]");
  process.exit(2);
}
const prompts = Number(promptsArg);
const iterations = Number(iterationsArg ?? 1);
const samples = Number(samplesArg ?? 10);

// xorshift32, seeded: the same file every time
let state = 2463534242;
function rand() {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
}

const words = ["so", "we", "get", "then", "thus", "the", "sum", "is", "step", "compute", "add", "carry"];
const stream = createWriteStream(out, { highWaterMark: 1 << 22 });
let buffer = "";
for (let t = 0; t < iterations; t++) {
  for (let q = 0; q < prompts; q++) {
    const rate = ((q * 7919) % 101) / 100;
    const answer = (q * 31) % 997;
    for (let i = 0; i < samples; i++) {
      const pass = rand() < rate;
      const cls = pass ? answer : answer + 1 + Math.floor(rand() * 3);
      const n = 10 + Math.floor(rand() * 30);
      let text = "";
      for (let w = 0; w < n; w++) text += `${words[Math.floor(rand() * words.length)]} `;
      const response = `${text}\nThe final answer is \\boxed{${cls}}`;
      buffer += `${JSON.stringify({
        iteration: t,
        prompt_id: `p${q}`,
        response,
        class: String(cls),
        gold: pass,
        signals: { pass, score: pass ? 1 : Math.round(rand() * 4) / 10 },
      })}\n`;
      if (buffer.length > 1 << 20) {
        if (!stream.write(buffer)) await new Promise((r) => stream.once("drain", r));
        buffer = "";
      }
    }
  }
}
stream.write(buffer);
await new Promise((r) => stream.end(r));
if (flags.includes("--parquet")) {
  const parquet = out.replace(/\.jsonl$/, ".parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM read_json('${out}', format = 'newline_delimited')) TO '${parquet}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
}
console.error(`wrote ${out}${flags.includes("--parquet") ? " and .parquet" : ""}`);
