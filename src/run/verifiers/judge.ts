/**
 * The `judge` verifier: a fixed LLM judge behind an OpenAI-compatible chat-completions endpoint.
 * It sends the rubric, the prompt and the response at temperature 0 and reads a score in [0, 1]
 * from the reply (a JSON object `{"score": ...}`, "score: x", or "x/10"); pass is
 * score >= threshold. One request per record; failures are verdicts with status "error".
 */
import { OpenloopError } from "../../errors.js";
import type { JudgeVerifierConfig } from "../../spec/index.js";
import { textField, type Verdict, type VerifierRecord, type VerifyOptions } from "./types.js";

/** The system message that fixes the judge's task and reply format. */
export const JUDGE_SYSTEM_PROMPT =
  "You are a strict, impartial grader. Grade the response against the rubric only. " +
  'Reply with one JSON object and nothing else: {"score": <number from 0 to 1>, "reason": "<one sentence>"}.';

/** The chat-completions URL of a base URL (with or without a trailing /v1 or slash). */
export function completionsUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return /\/v\d+$/.test(trimmed) ? `${trimmed}/chat/completions` : `${trimmed}/v1/chat/completions`;
}

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
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (config.api_key_env !== undefined) {
    const key = (options.env ?? process.env)[config.api_key_env];
    if (key === undefined || key === "") {
      throw new OpenloopError("input", `the judge's API key variable ${config.api_key_env} is not set`, {
        where: { path: "api_key_env" },
      });
    }
    headers.authorization = `Bearer ${key}`;
  }
  const body = {
    model: config.model,
    temperature: 0,
    messages: [
      { role: "system", content: JUDGE_SYSTEM_PROMPT },
      { role: "user", content: judgeMessage(config.rubric, textField(record, "prompt"), response) },
    ],
  };
  let reply: string;
  try {
    const res = await fetch(completionsUrl(config.base_url), {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeout_s * 1000),
    });
    if (!res.ok)
      return { pass: false, status: "error", reason: `judge endpoint answered HTTP ${res.status}` };
    const json = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
    const content = json.choices?.[0]?.message?.content;
    if (typeof content !== "string")
      return { pass: false, status: "error", reason: "judge reply has no message content" };
    reply = content;
  } catch (error) {
    return { pass: false, status: "error", reason: `judge request failed: ${(error as Error).message}` };
  }
  const score = parseJudgeScore(reply);
  if (score === null) return { pass: false, status: "error", reason: "judge reply has no score in [0, 1]" };
  const pass = score >= config.threshold;
  return pass
    ? { pass, score }
    : { pass, score, reason: `score ${score} below threshold ${config.threshold}` };
}
