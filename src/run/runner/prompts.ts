/**
 * Prompt sources of a run: a prompt file (JSONL, CSV or Parquet; one row per prompt) or the
 * built-in student's task. A `fixed` source reuses the same prompts every iteration; a
 * `procedural` file source walks through the file `count` rows per iteration.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { OpenloopError } from "../../errors.js";
import { readRows } from "../../records/index.js";
import type { PipelineSpec } from "../../spec/index.js";
import type { ChatMessage } from "../endpoint/chat-client.js";
import type { RunPrompt, TrainableStudent } from "./types.js";

/** Gives the prompts of each iteration. */
export interface PromptSource {
  prompts(iteration: number): RunPrompt[];
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function asMessages(value: unknown, where: { file: string; line: number }): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new OpenloopError("input", "'messages' must be a non-empty array of {role, content}", {
      where: { ...where, column: "messages" },
    });
  return value.map((m) => {
    const message = m as { role?: unknown; content?: unknown };
    const role = message.role;
    if ((role !== "system" && role !== "user" && role !== "assistant") || typeof message.content !== "string")
      throw new OpenloopError("input", "each message needs a role (system|user|assistant) and text content", {
        where: { ...where, column: "messages" },
      });
    return { role, content: message.content };
  });
}

/** Turns one prompt-file row into a prompt (fields: prompt or messages, prompt_id or id, gold, reference). */
function rowPrompt(row: Record<string, unknown>, where: { file: string; line: number }): RunPrompt {
  let messages: ChatMessage[];
  if (row.messages !== undefined) messages = asMessages(row.messages, where);
  else if (Array.isArray(row.prompt)) messages = asMessages(row.prompt, where);
  else {
    const content = text(row.prompt);
    if (content === undefined || content === "")
      throw new OpenloopError("input", "a prompt row needs 'prompt' (text or chat messages) or 'messages'", {
        where: { ...where, column: "prompt" },
      });
    messages = [{ role: "user", content }];
  }
  const promptText = [...messages].reverse().find((m) => m.role === "user")?.content ?? messages[0].content;
  const id = text(row.prompt_id) ?? text(row.id) ?? `line-${where.line}`;
  const reference = text(row.reference) ?? text(row.gold) ?? text(row.answer);
  const fields: Record<string, unknown> = { ...row };
  if (fields.gold === undefined && row.answer !== undefined) fields.gold = row.answer;
  return { id, text: promptText, messages, fields, reference };
}

/** Reads every prompt of a prompt file (a relative path is resolved against the spec's folder). */
export async function readPromptFile(path: string, specFile: string): Promise<RunPrompt[]> {
  const file = isAbsolute(path) ? path : resolve(dirname(specFile), path);
  const prompts: RunPrompt[] = [];
  for await (const { row, line } of readRows(file)) prompts.push(rowPrompt(row, { file, line }));
  if (prompts.length === 0)
    throw new OpenloopError("input", "the prompt file has no rows", { where: { file } });
  return prompts;
}

/**
 * The prompt source of a spec: its prompt file, or the built-in student's task. `limit` caps the
 * prompts per iteration (`--limit-prompts`).
 */
export async function createPromptSource(
  spec: PipelineSpec,
  specFile: string,
  student: TrainableStudent | undefined,
  limit: number | undefined,
): Promise<PromptSource> {
  const cap = (count: number) => (limit === undefined ? count : Math.min(count, limit));
  if (spec.prompts.path !== undefined) {
    const all = await readPromptFile(spec.prompts.path, specFile);
    const count = cap(Math.min(spec.prompts.count ?? all.length, all.length));
    const procedural = spec.prompts.source === "procedural";
    return {
      prompts(iteration) {
        const start = procedural ? (iteration * count) % all.length : 0;
        return Array.from({ length: count }, (_, i) => all[(start + i) % all.length]);
      },
    };
  }
  if (student !== undefined) {
    const count = cap(spec.prompts.count ?? 100);
    return { prompts: (iteration) => student.prompts(iteration, count) };
  }
  throw new OpenloopError("spec", "the run needs prompts: give prompts.path (a JSONL, CSV or Parquet file)", {
    where: { file: specFile, path: "prompts.path" },
    hint: "or use generator.builtin with prompts.builtin for the built-in task",
  });
}
