/**
 * Validates the body of a `POST /v1/chat/completions` request against the fields the built-in
 * model honours (model, messages, n, temperature, seed, max_tokens / max_completion_tokens) and
 * the ones it accepts and ignores (top_p, stop, user, ...); anything malformed is a 400 that
 * names the field.
 */
import type { ChatMessage } from "../endpoint/chat-client.js";
import { ApiError } from "./api-error.js";

/** A validated chat-completions request. */
export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  n: number;
  temperature?: number;
  seed?: number;
  maxTokens?: number;
}

/** The largest `n` accepted (as OpenAI). */
export const MAX_CHOICES = 128;

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

function bad(message: string, param: string): ApiError {
  return new ApiError(400, message, param, "invalid_value");
}

function contentText(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part, i) => {
        const p = part as { type?: unknown; text?: unknown };
        if (p === null || typeof p !== "object" || p.type !== "text" || typeof p.text !== "string") {
          throw bad(`${param}[${i}] must be a text part {"type": "text", "text": "..."}`, `${param}[${i}]`);
        }
        return p.text;
      })
      .join("");
  }
  if (content === null || content === undefined) return "";
  throw bad(`${param} must be a string or an array of text parts`, param);
}

function messagesOf(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw bad("'messages' must be a non-empty array of {role, content} messages", "messages");
  }
  return value.map((m, i) => {
    const msg = m as { role?: unknown; content?: unknown };
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
      throw bad(`messages[${i}] must be an object with 'role' and 'content'`, `messages[${i}]`);
    }
    if (typeof msg.role !== "string" || !ROLES.has(msg.role)) {
      throw bad(
        `messages[${i}].role must be one of ${[...ROLES].join(", ")}, got ${JSON.stringify(msg.role)}`,
        `messages[${i}].role`,
      );
    }
    const role = msg.role === "developer" ? "system" : msg.role === "tool" ? "assistant" : msg.role;
    return { role: role as ChatMessage["role"], content: contentText(msg.content, `messages[${i}].content`) };
  });
}

function optionalInt(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw bad(`'${name}' must be a whole number in ${min}..${max}, got ${JSON.stringify(v)}`, name);
  }
  return v;
}

function optionalNumber(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw bad(`'${name}' must be a number in ${min}..${max}, got ${JSON.stringify(v)}`, name);
  }
  return v;
}

/**
 * Parses and validates a request body (the raw JSON text). Throws an `ApiError` (400) naming
 * the offending field.
 */
export function parseCompletionRequest(raw: string): CompletionRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ApiError(
      400,
      `the request body is not valid JSON: ${(error as Error).message}`,
      null,
      "invalid_json",
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError(400, "the request body must be a JSON object", null, "invalid_json");
  }
  const body = parsed as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model === "") {
    throw bad("'model' is required and must be a string", "model");
  }
  if (body.stream === true) {
    throw new ApiError(
      400,
      "streaming is not supported by openloop serve; leave 'stream' unset",
      "stream",
      "unsupported_value",
    );
  }
  optionalNumber(body, "top_p", 0, 1);
  const maxTokens = optionalInt(body, "max_tokens", 1, Number.MAX_SAFE_INTEGER);
  const maxCompletionTokens = optionalInt(body, "max_completion_tokens", 1, Number.MAX_SAFE_INTEGER);
  return {
    model: body.model,
    messages: messagesOf(body.messages),
    n: optionalInt(body, "n", 1, MAX_CHOICES) ?? 1,
    temperature: optionalNumber(body, "temperature", 0, 5),
    seed: optionalInt(body, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    maxTokens: maxCompletionTokens ?? maxTokens,
  };
}
