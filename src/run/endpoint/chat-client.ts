/**
 * A client for OpenAI-compatible chat completions (vLLM, Ollama, llama.cpp server, SGLang,
 * OpenAI): one POST to `{base_url}/chat/completions` per call, with a per-request timeout, retries
 * with backoff that honour Retry-After, and a limit on requests in flight. Failures that survive
 * every retry come back as an `EndpointFailure`, never as a crash.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { OpenloopError } from "../../errors.js";
import type { Rng } from "../../info/index.js";
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
} from "./retry.js";
import { createSemaphore } from "./semaphore.js";

/** One chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The request body fields openloop sends. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  n?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
}

/** The parts of a response openloop reads. */
export interface ChatResponse {
  choices: { index: number; text: string; finishReason: string | null }[];
}

/** Why a request failed after all its attempts. */
export interface EndpointFailure {
  error: string;
  attempts: number;
  status?: number;
}

/** Settings of a client. */
export interface ChatClientOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs?: number;
  concurrency?: number;
  retry?: RetryPolicy;
  rng: Rng;
  /** Waits `ms`; tests may pass a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** A client bound to one endpoint. */
export interface ChatClient {
  complete(request: ChatRequest): Promise<ChatResponse | EndpointFailure>;
}

class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** True when a `complete` result is a failure. */
export function isEndpointFailure(value: ChatResponse | EndpointFailure): value is EndpointFailure {
  return (value as EndpointFailure).error !== undefined;
}

/** Normalises a base URL: accepts it with or without `/v1` and a trailing slash. */
export function chatCompletionsUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new OpenloopError("input", `invalid endpoint base_url '${baseUrl}'`, {
      hint: "give an absolute http(s) URL such as http://127.0.0.1:8000/v1",
    });
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = `${path}/chat/completions`;
  return url.toString();
}

function parseBody(text: string): ChatResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AttemptError(`malformed JSON in response: ${text.slice(0, 80)}`, true);
  }
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) throw new AttemptError("response has no 'choices' array", true);
  return {
    choices: choices.map((choice, position) => {
      const c = choice as { index?: number; message?: { content?: unknown }; finish_reason?: string | null };
      const content = c.message?.content;
      if (typeof content !== "string")
        throw new AttemptError(`choice ${position} has no message content`, true);
      return {
        index: typeof c.index === "number" ? c.index : position,
        text: content,
        finishReason: c.finish_reason ?? null,
      };
    }),
  };
}

interface RawResponse {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

class TimeoutError extends Error {}

/**
 * One POST over node:http(s) with a keep-alive agent (several times cheaper per request than
 * fetch, which matters at hundreds of requests per second). The timeout covers the whole
 * exchange, response body included.
 */
function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  agent: HttpAgent,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, value?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as RawResponse);
    };
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("aborted", () => finish(new Error("the connection closed mid-response")));
        res.on("error", (error) => finish(error));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          finish(undefined, {
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    const timer = setTimeout(() => {
      finish(new TimeoutError());
      req.destroy();
    }, timeoutMs);
    req.on("error", (error) => finish(error));
    req.end(body);
  });
}

async function attempt(
  url: URL,
  request: ChatRequest,
  apiKey: string | undefined,
  timeoutMs: number,
  agent: HttpAgent,
): Promise<ChatResponse> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  let response: RawResponse;
  try {
    response = await post(url, JSON.stringify(request), headers, timeoutMs, agent);
  } catch (error) {
    const reason =
      error instanceof TimeoutError
        ? `timed out after ${timeoutMs} ms`
        : `connection failed: ${(error as Error).message}`;
    throw new AttemptError(reason, true);
  }
  if (response.status < 200 || response.status > 299) {
    throw new AttemptError(
      `HTTP ${response.status}: ${response.text.slice(0, 120)}`,
      isRetryableStatus(response.status),
      response.status,
      parseRetryAfter(response.retryAfter),
    );
  }
  return parseBody(response.text);
}

/**
 * Creates a client for `options.baseUrl`.
 * @example const client = createChatClient({ baseUrl: "http://127.0.0.1:8000/v1", rng: createRng(1) });
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const url = new URL(chatCompletionsUrl(options.baseUrl));
  const policy = options.retry ?? DEFAULT_RETRY;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const concurrency = options.concurrency ?? 8;
  const semaphore = createSemaphore(concurrency);
  const agent =
    url.protocol === "https:"
      ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency })
      : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  return {
    async complete(request) {
      for (let n = 0; ; n++) {
        try {
          return await semaphore.run(() => attempt(url, request, options.apiKey, timeoutMs, agent));
        } catch (error) {
          const failure = error as AttemptError;
          if (!failure.retryable || n + 1 >= policy.attempts) {
            return { error: failure.message, attempts: n + 1, status: failure.status };
          }
          await sleep(backoffDelay(n, policy, options.rng, failure.retryAfterMs));
        }
      }
    },
  };
}
