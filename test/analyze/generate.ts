/** Seeded generators of rollout logs with known ground truth, written to temporary JSONL files. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { createRng } from "../../src/info/index.js";

export type Row = Record<string, unknown>;

/** Writes rows as JSON Lines into a fresh temporary directory; returns the path. */
export function writeJsonl(rows: Row[], name = "log.jsonl"): string {
  const dir = mkdtempSync(join(tmpdir(), "openloop-analyze-"));
  const file = join(dir, name);
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return file;
}

/** A binary verifier with per-prompt pass rates `rates`, `perPrompt` samples each (exact counts). */
export function binaryVerifier(rates: number[], perPrompt: number, seed = 1): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  rates.forEach((p, q) => {
    const passes = Math.round(p * perPrompt);
    for (let i = 0; i < perPrompt; i++) {
      const pass = i < passes;
      rows.push({
        prompt_id: `q${q}`,
        response: `${"word ".repeat(1 + rng.int(30))}answer ${pass ? 1 : 2 + rng.int(3)}`,
        signals: { pass },
      });
    }
  });
  return rows;
}

/**
 * A verdict that depends only on the class: each prompt has classes A (correct), B, C drawn with
 * probabilities; responses vary in surface form (length) independently of the verdict.
 */
export function classVerdict(prompts: number, perPrompt: number, seed = 2): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (let q = 0; q < prompts; q++) {
    for (let i = 0; i < perPrompt; i++) {
      const cls = ["A", "B", "C"][rng.int(3)];
      rows.push({
        prompt_id: `q${q}`,
        class: cls,
        response: `${"filler ".repeat(1 + rng.int(40))}${cls}`,
        signals: { verdict: cls === "A" },
      });
    }
  }
  return rows;
}

/**
 * A judge that rewards length inside a class: the judge passes a response of class A when it is
 * long (more than `threshold` words) with probability 0.9, short ones with 0.2; class B never.
 */
export function lengthJudge(prompts: number, perPrompt: number, seed = 3): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (let q = 0; q < prompts; q++) {
    for (let i = 0; i < perPrompt; i++) {
      const cls = rng.next() < 0.6 ? "A" : "B";
      const words = 5 + rng.int(60);
      const pass = cls === "A" && rng.next() < (words > 35 ? 0.9 : 0.2);
      rows.push({
        prompt_id: `q${q}`,
        class: cls,
        response: `${"blah ".repeat(words)}so the answer is ${cls}`,
        signals: { judge: pass },
      });
    }
  }
  return rows;
}

/**
 * A collapsing loop: iteration t samples from max(1, K - t*step) classes per prompt and repeats
 * responses more and more often.
 */
export function collapsing(prompts: number, perPrompt: number, iterations: number, seed = 4): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (let t = 0; t < iterations; t++) {
    const k = Math.max(1, 8 - 3 * t);
    for (let q = 0; q < prompts; q++) {
      for (let i = 0; i < perPrompt; i++) {
        const c = rng.int(k);
        const variant = t === 0 ? rng.int(1000) : rng.int(Math.max(1, 20 >> t));
        rows.push({
          iteration: t,
          prompt_id: `q${q}`,
          class: `c${c}`,
          response: `answer ${c} variant ${variant}`,
          signals: { pass: c === 0 },
        });
      }
    }
  }
  return rows;
}

/** Converts a JSONL file to Parquet with DuckDB (as `createRecordWriter` does); returns the path. */
export async function toParquet(jsonl: string): Promise<string> {
  const parquet = jsonl.replace(/\.jsonl$/, ".parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM read_json('${jsonl}', format = 'newline_delimited', sample_size = -1)) TO '${parquet}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return parquet;
}

const PIECES = [
  "word ",
  "  ",
  "\n",
  "\t",
  "- item\n",
  "1) first\n",
  "```py\nx = 1\n```\n",
  "The Final Answer: ",
  "the answer is ",
  "\\boxed{",
  "}",
  "caf\u00e9 ",
  "\u{1F600} ",
  "\u00a0",
  "\u2022 dot\n",
];

/** A log with three iterations, several signal kinds, classes, gold, user features, missing values and varied responses. */
export function richLog(seed: number): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (let t = 0; t < 3; t++) {
    for (let q = 0; q < 40; q++) {
      for (let i = 0; i < 8; i++) {
        const cls = ["A", "B", "C", "D"][rng.int(q % 4 === 0 ? 1 : 4)];
        const pass = cls === "A" ? rng.next() < 0.8 : rng.next() < 0.15;
        let response = "";
        for (let k = rng.int(12); k >= 0; k--) response += PIECES[rng.int(PIECES.length)];
        const signals: Record<string, unknown> = { pass, conf: Math.round(rng.normal() * 1000) / 1000 };
        if (rng.next() < 0.9) signals.score = [0, 0.5, 1][rng.int(3)];
        const row: Row = {
          iteration: t,
          prompt_id: `prompt-${q}`,
          prompt: `What is ${q}?`,
          signals,
          class: cls,
          gold: cls === "A",
          features: { style: rng.int(3), verbosity: Math.round(rng.next() * 100) / 10 },
          accepted: pass,
        };
        if (rng.next() < 0.95) row.response = `${response}${cls}`;
        if (rng.next() < 0.05) delete row.class;
        rows.push(row);
      }
    }
  }
  return rows;
}

/**
 * A judge whose length channel opens during training. Every (iteration, prompt) has `perPrompt`
 * samples (a multiple of 8): half of class A, half of class B; inside each class half are long
 * (user feature `length` = 48 words) and half short (12 words). Class B never passes. Before
 * iteration `opensAt` a class-A sample passes with probability 1/2 whatever its length; from
 * `opensAt` on the judge passes exactly `longPass` of the long and `shortPass` of the short
 * class-A samples (exact counts, so the plug-in I(S;F|[Y],Q) equals its closed form).
 */
export function openingLengthJudge(
  prompts: number,
  iterations: number,
  opensAt: number,
  perPrompt: number,
  longPass: number,
  shortPass: number,
  seed = 4,
): Row[] {
  const rng = createRng(seed);
  const rows: Row[] = [];
  const quarter = perPrompt / 4;
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let q = 0; q < prompts; q++) {
      for (let i = 0; i < perPrompt; i++) {
        const cls = i < perPrompt / 2 ? "A" : "B";
        const long = i % (perPrompt / 2) < quarter;
        const rank = i % quarter;
        const pass =
          cls === "A" && (iteration < opensAt ? rng.next() < 0.5 : rank < (long ? longPass : shortPass));
        rows.push({
          iteration,
          prompt_id: `q${q}`,
          class: cls,
          features: { length: long ? 48 : 12 },
          signals: { judge: pass },
        });
      }
    }
  }
  return rows;
}
