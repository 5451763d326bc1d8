/**
 * Real data of a run (`real_data`): the real samples (a file of chat records or prompt/response
 * rows, or the built-in task's gold references) and the real part of each iteration's training
 * data under the spec's mode (once, replace, accumulate, fraction). Every draw is a function of the
 * run seed, the iteration and the earlier iterations' synthetic counts (which the journal holds),
 * so a resumed run mixes in the same samples as an uninterrupted one.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { OpenloopError } from "../../errors.js";
import { createRng } from "../../info/index.js";
import { readRows } from "../../records/index.js";
import type { PipelineSpec } from "../../spec/index.js";
import type { ChatMessage } from "../endpoint/chat-client.js";
import { deriveSeed } from "./seed.js";
import type { TrainableStudent } from "./types.js";

/** One real sample: a prompt (chat messages) and its real response. */
export interface RealSample {
  promptId: string;
  /** The prompt's messages (without the response). */
  messages: ChatMessage[];
  response: string;
}

/** Gives the real samples of each iteration's training data. */
export interface RealMixer {
  /** SHA-256 of the real-data file, when the samples come from one (a resume checks it). */
  readonly digest?: string;
  /**
   * The real samples of iteration `iteration`, whose synthetic selection has `synthetic` samples
   * (`fraction` mode sizes the real part from it). Call once per iteration, in order from 0.
   */
  next(iteration: number, synthetic: number): RealSample[];
}

type Where = { file: string; line: number };

function toMessages(value: unknown, where: Where): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new OpenloopError("input", "'messages' must be a non-empty array of {role, content}", {
      where: { ...where, column: "messages" },
    });
  return value.map((m) => {
    const message = (m ?? {}) as { role?: unknown; content?: unknown };
    const role = message.role;
    if ((role !== "system" && role !== "user" && role !== "assistant") || typeof message.content !== "string")
      throw new OpenloopError("input", "each message needs a role (system|user|assistant) and text content", {
        where: { ...where, column: "messages" },
      });
    return { role, content: message.content };
  });
}

function idOf(row: Record<string, unknown>, where: Where): string {
  const id = row.prompt_id ?? row.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : `real-line-${where.line}`;
}

/** One real-data row: `{messages: [..., {role: "assistant", ...}]}` or `{prompt, response}`. */
function rowSample(row: Record<string, unknown>, where: Where): RealSample {
  if (row.messages !== undefined) {
    const messages = toMessages(row.messages, where);
    const last = messages[messages.length - 1];
    if (last.role !== "assistant" || !messages.slice(0, -1).some((m) => m.role === "user"))
      throw new OpenloopError(
        "input",
        "a real chat record needs a user message and ends with the assistant's response",
        { where: { ...where, column: "messages" } },
      );
    return { promptId: idOf(row, where), messages: messages.slice(0, -1), response: last.content };
  }
  if (typeof row.prompt !== "string" || row.prompt === "")
    throw new OpenloopError(
      "input",
      "a real data row needs 'messages' (chat) or 'prompt' and 'response' (text)",
      {
        where: { ...where, column: "prompt" },
      },
    );
  if (typeof row.response !== "string")
    throw new OpenloopError("input", "a real data row with 'prompt' needs a text 'response'", {
      where: { ...where, column: "response" },
    });
  return {
    promptId: idOf(row, where),
    messages: [{ role: "user", content: row.prompt }],
    response: row.response,
  };
}

/**
 * Reads a real-data file (JSONL, CSV or Parquet; relative to the spec's folder). With a built-in
 * student, every prompt must be one of its task's training prompts (the sample takes its id).
 */
export async function readRealFile(
  path: string,
  specFile: string,
  student: TrainableStudent | undefined,
): Promise<RealSample[]> {
  const file = isAbsolute(path) ? path : resolve(dirname(specFile), path);
  const samples: RealSample[] = [];
  for await (const { row, line } of readRows(file)) {
    const sample = rowSample(row, { file, line });
    if (student?.promptIdOf !== undefined) {
      const id = student.promptIdOf(sample.messages);
      if (id === undefined)
        throw new OpenloopError(
          "input",
          "the real sample's prompt is not a training prompt of the built-in task",
          {
            where: { file, line },
            hint: "with generator.builtin, real data must answer the task's training prompts (held-out prompts are kept for evaluation)",
          },
        );
      sample.promptId = id;
    }
    samples.push(sample);
  }
  if (samples.length === 0)
    throw new OpenloopError("input", "the real data file has no rows", { where: { file } });
  return samples;
}

/**
 * The real-data mixer of a spec, or undefined for `real_data.mode: none`. The real samples come
 * from `real_data.path`, else from the built-in student's task (gold references of training
 * prompts); neither is a located spec error.
 */
export async function openRealData(
  spec: PipelineSpec,
  specFile: string,
  student: TrainableStudent | undefined,
): Promise<RealMixer | undefined> {
  const config = spec.real_data;
  if (config.mode === "none") return undefined;
  let pool: RealSample[];
  let digest: string | undefined;
  if (config.path !== undefined) {
    pool = await readRealFile(config.path, specFile, student);
    const file = isAbsolute(config.path) ? config.path : resolve(dirname(specFile), config.path);
    digest = createHash("sha256").update(readFileSync(file)).digest("hex");
  } else if (student?.referencePrompts !== undefined)
    pool = student.referencePrompts().map((p) => ({
      promptId: p.id,
      messages: p.messages,
      response: p.reference ?? "",
    }));
  else
    throw new OpenloopError("spec", `real_data mode '${config.mode}' needs real data: give real_data.path`, {
      where: { file: specFile, path: "real_data.path" },
      hint: "a JSONL, CSV or Parquet file of {messages} chat records or {prompt, response} rows; or use generator.builtin, whose task gives gold references",
    });
  return { ...createRealMixer(spec, pool), digest };
}

/**
 * Mixes `pool` per the spec's `real_data`. The pool is shuffled once by the run seed; the dataset
 * (`fresh: false`) is its first `count` samples (default: all); `fresh: true` walks on through the
 * shuffled pool (wrapping when it is exhausted). once: the dataset in iteration 0 only; replace:
 * every iteration's batch; accumulate: every batch so far (each sample once); fraction: as many
 * samples as make share `fraction` of the iteration's training set, round(f s / (1 - f)) for s
 * synthetic samples.
 */
export function createRealMixer(spec: PipelineSpec, pool: RealSample[]): RealMixer {
  const config = spec.real_data;
  const n = pool.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(deriveSeed(spec.seed ?? 0, 0x7265616c));
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const count = Math.min(config.count ?? n, n);
  // positions in the shuffled pool, modulo `size`
  const take = (start: number, length: number, size: number) =>
    Array.from({ length }, (_, k) => order[(start + k) % size]);
  const kept: number[] = [];
  const seen = new Set<number>();
  let cursor = 0;
  let expected = 0;
  return {
    next(iteration, synthetic) {
      if (iteration !== expected)
        throw new OpenloopError(
          "internal",
          `real data asked for iteration ${iteration}, expected ${expected}`,
        );
      expected++;
      let indices: number[];
      const batch = () => (config.fresh ? take(iteration * count, count, n) : take(0, count, count));
      switch (config.mode) {
        case "once":
          indices = iteration === 0 ? take(0, count, count) : [];
          break;
        case "replace":
          indices = batch();
          break;
        case "accumulate":
          for (const i of batch())
            if (!seen.has(i)) {
              seen.add(i);
              kept.push(i);
            }
          indices = kept.slice();
          break;
        case "fraction": {
          const f = config.fraction ?? 0;
          const size = Math.round((f * synthetic) / (1 - f));
          indices = config.fresh ? take(cursor, size, n) : take(0, size, count);
          cursor += size;
          break;
        }
        default:
          indices = [];
      }
      return indices.map((i) => pool[i]);
    },
  };
}
