/**
 * The `judge` verifier: a fixed LLM judge behind an OpenAI-compatible chat-completions endpoint.
 * It sends the rubric, the prompt and the response at temperature 0 and reads a score in [0, 1]
 * from the reply (a JSON object `{"score": ...}`, "score: x", or "x/10"); pass is
 * score >= threshold. It goes through the shared retrying chat client (src/run/endpoint), so a
 * rate limit or a passing fault is retried; a request that keeps failing is a verdict with status
 * "error".
 */
import { OpenloopError } from "../../errors.js";
import { createRng } from "../../info/index.js";
import type { JudgeVerifierConfig } from "../../spec/index.js";
import { createChatClient, isEndpointFailure } from "../endpoint/chat-client.js";
import type { RetryPolicy } from "../endpoint/retry.js";
import { textField, type Verdict, type VerifierRecord, type VerifyOptions } from "./types.js";

/** The system message that fixes the judge's task and reply format. */
export const JUDGE_SYSTEM_PROMPT =
  "You are a strict, impartial grader. Grade the response against the rubric only. " +
  'Reply with one JSON object and nothing else: {"score": <number from 0 to 1>, "reason": "<one sentence>"}.';

/**
 * Retries of a judge request: a rate limit or an overloaded server gets a few attempts with
 * backoff; a judge that keeps failing gives an error verdict, never a crash.
 */
export const JUDGE_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** The judge's user message for one record. */
export function judgeMessage(rubric: string, prompt: string | undefined, response: string): string {
  const parts = [`Rubric:\n${rubric}`];
  if (prompt !== undefined) parts.push(`Prompt:\n${prompt}`);
  parts.push(`Response:\n${response}`);
  return parts.join("\n\n");
}

function clamp01(x: number): number | null {
  return Number.isFinite(x) && x >= 0 && x <= 1 ? x : null;
}

/**
 * The score in a judge's reply, or null.
 * @example parseJudgeScore('{"score": 0.8, "reason": "ok"}') // 0.8
 */
export function parseJudgeScore(reply: string): number | null {
  const object = /\{[\s\S]*\}/.exec(reply);
  if (object !== null) {
    try {
      const parsed = JSON.parse(object[0]) as { score?: unknown };
      if (typeof parsed.score === "number") return clamp01(parsed.score);
    } catch {
      // not JSON: try the textual forms
    }
  }
  const outOf = /(\d+(?:\.\d+)?)\s*\/\s*(10|100|5)\b/.exec(reply);
  if (outOf !== null) return clamp01(Number(outOf[1]) / Number(outOf[2]));
  const labelled = /score\W{0,3}(\d+(?:\.\d+)?)/i.exec(reply);
  if (labelled !== null) return clamp01(Number(labelled[1]));
  const bare = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(reply);
  return bare === null ? null : clamp01(Number(bare[1]));
}

/**
 * Asks the judge about `record[config.field]` (with `record.prompt` when present).
 * @example await verifyJudge({ type: "judge", base_url: "http://127.0.0.1:8000/v1", model: "judge-7b", rubric: "...", threshold: 0.5, timeout_s: 60, field: "response" }, record)
 */
export async function verifyJudge(
  config: JudgeVerifierConfig,
  record: VerifierRecord,
  options: VerifyOptions = {},
): Promise<Verdict> {
  const response = textField(record, config.field);
  if (response === undefined)
    return { pass: false, status: "error", reason: `record has no field '${config.field}'` };
  let apiKey: string | undefined;
  if (config.api_key_env !== undefined) {
    apiKey = (options.env ?? process.env)[config.api_key_env];
    if (apiKey === undefined || apiKey === "") {
      throw new OpenloopError("input", `the judge's API key variable ${config.api_key_env} is not set`, {
        where: { path: "api_key_env" },
      });
    }
  }
  const client = createChatClient({
    baseUrl: config.base_url,
    apiKey,
    timeoutMs: config.timeout_s * 1000,
    concurrency: 1,
    retry: JUDGE_RETRY,
    rng: createRng(0),
  });
  const result = await client.complete({
    model: config.model,
    temperature: 0,
    messages: [
      { role: "system", content: JUDGE_SYSTEM_PROMPT },
      { role: "user", content: judgeMessage(config.rubric, textField(record, "prompt"), response) },
    ],
  });
  if (isEndpointFailure(result)) {
    return {
      pass: false,
      status: "error",
      reason: `judge request failed: ${result.error} (after ${result.attempts} attempts)`,
    };
  }
  const reply = result.choices[0]?.text;
  if (reply === undefined) return { pass: false, status: "error", reason: "judge reply has no choices" };
  const score = parseJudgeScore(reply);
  if (score === null) return { pass: false, status: "error", reason: "judge reply has no score in [0, 1]" };
  const pass = score >= config.threshold;
  return pass
    ? { pass, score }
    : { pass, score, reason: `score ${score} below threshold ${config.threshold}` };
}
