/**
 * Answers one validated chat-completions request with the built-in student: finds the task
 * prompt the conversation asks, samples `n` responses from (seed, prompt) at the request's
 * temperature, cuts padding to `max_tokens`, and counts tokens for `usage`. A token of the
 * built-in model is one answer token or one padding token; prompt tokens are the
 * whitespace-separated words of the messages.
 */
import { render } from "../../lab/index.js";
import type { BuiltinStudent } from "../builtin/index.js";
import { ApiError } from "./api-error.js";
import type { CompletionRequest } from "./request.js";

/** What a completion needs besides the request. */
export interface CompletionContext {
  student: BuiltinStudent;
  model: string;
  /** Temperature when the request gives none. */
  temperature: number;
  /** The seed of a request that gives none (the server's own seeded stream). */
  nextSeed(): number;
  /** A unique id for the response. */
  nextId(): string;
  /** Seconds since the epoch, for `created`. */
  now(): number;
}

/** An OpenAI chat-completion response body. */
export interface CompletionResponse {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    message: { role: "assistant"; content: string };
    finish_reason: "stop" | "length";
    logprobs: null;
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function words(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) count += 1;
    inWord = !space;
  }
  return count;
}

/** Answers `request`; throws an `ApiError` for an unknown model (404) or prompt (400). */
export function completeChat(request: CompletionRequest, context: CompletionContext): CompletionResponse {
  if (request.model !== context.model) {
    throw new ApiError(
      404,
      `the model '${request.model}' does not exist; this server serves '${context.model}'`,
      "model",
      "model_not_found",
    );
  }
  const prompt = context.student.findPrompt(request.messages);
  if (typeof prompt === "string") throw new ApiError(400, prompt, "messages", "unknown_prompt");
  const seed = request.seed ?? context.nextSeed();
  const samples = context.student.sample(prompt, request.n, seed, request.temperature ?? context.temperature);
  const limit = request.maxTokens ?? Number.POSITIVE_INFINITY;
  let completionTokens = 0;
  const choices = samples.map((s, index) => {
    const cut = 1 + s.pad > limit;
    const pad = cut ? limit - 1 : s.pad;
    completionTokens += 1 + pad;
    return {
      index,
      message: { role: "assistant" as const, content: cut ? render(s.value, s.form, pad) : s.response },
      finish_reason: cut ? ("length" as const) : ("stop" as const),
      logprobs: null,
    };
  });
  let promptTokens = 0;
  for (const m of request.messages) promptTokens += words(m.content);
  return {
    id: context.nextId(),
    object: "chat.completion",
    created: context.now(),
    model: context.model,
    system_fingerprint: `openloop-${context.student.task}`,
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}
