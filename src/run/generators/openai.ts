/**
 * The OpenAI-compatible chat-completions generator: samples `n` responses per prompt from an
 * HTTP endpoint through the retrying client, asks again for the missing ones when a server returns
 * fewer choices than asked, and serves repeated requests from the disk cache.
 */
import type { Rng } from "../../info/index.js";
import { cacheKey, type DiskCache } from "../endpoint/cache.js";
import { type ChatClient, createChatClient, isEndpointFailure } from "../endpoint/chat-client.js";
import type { RetryPolicy } from "../endpoint/retry.js";
import type { Candidate, GenerationRequest, Generator } from "./types.js";

/** Settings of an OpenAI-compatible generator (the spec's `generator.endpoint`, resolved). */
export interface OpenAIGeneratorOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  timeoutMs?: number;
  concurrency?: number;
  retry?: RetryPolicy;
  cache?: DiskCache;
  rng: Rng;
  sleep?: (ms: number) => Promise<void>;
  client?: ChatClient;
}

interface CachedSamples {
  texts: string[];
  finishReasons: (string | null)[];
}

/**
 * Creates a generator over an OpenAI-compatible endpoint.
 * @example createOpenAIGenerator({ baseUrl: "http://127.0.0.1:8000/v1", model: "qwen", rng: createRng(1) })
 */
export function createOpenAIGenerator(options: OpenAIGeneratorOptions): Generator {
  const client =
    options.client ??
    createChatClient({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
      retry: options.retry,
      rng: options.rng,
      sleep: options.sleep,
    });
  const maxRounds = options.retry?.attempts ?? 6;

  return {
    id: `openai-compatible ${options.model} @ ${options.baseUrl}`,
    async generate(request: GenerationRequest): Promise<Candidate[]> {
      const key = cacheKey({
        baseUrl: options.baseUrl,
        model: options.model,
        messages: request.messages,
        n: request.n,
        seed: request.seed,
        temperature: options.temperature,
        top_p: options.topP,
        max_tokens: options.maxTokens,
      });
      const hit = await options.cache?.get<CachedSamples>(key);
      if (hit && hit.texts.length === request.n) {
        return hit.texts.map((text, index) => ({
          index,
          text,
          finishReason: hit.finishReasons[index],
          cached: true,
        }));
      }
      const texts: string[] = [];
      const finishReasons: (string | null)[] = [];
      let lastError = "";
      for (let round = 0; round < maxRounds && texts.length < request.n; round++) {
        const result = await client.complete({
          model: options.model,
          messages: request.messages,
          n: request.n - texts.length,
          temperature: options.temperature,
          top_p: options.topP,
          max_tokens: options.maxTokens,
          seed: request.seed + round,
        });
        if (isEndpointFailure(result)) {
          lastError = `${result.error} (after ${result.attempts} attempts)`;
          break;
        }
        if (result.choices.length === 0) lastError = "endpoint returned no choices";
        for (const choice of result.choices.slice(0, request.n - texts.length)) {
          texts.push(choice.text);
          finishReasons.push(choice.finishReason);
        }
        if (texts.length < request.n && result.choices.length > 0) {
          lastError = `endpoint returned ${result.choices.length} of ${request.n - texts.length + result.choices.length} choices asked`;
        }
      }
      if (texts.length === request.n)
        await options.cache?.set(key, { texts, finishReasons } satisfies CachedSamples);
      return Array.from({ length: request.n }, (_, index) =>
        index < texts.length
          ? { index, text: texts[index], finishReason: finishReasons[index] }
          : { index, error: lastError },
      );
    },
  };
}
