import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../../src/info/index.js";
import { createBuiltinStudent } from "../../../src/run/builtin/index.js";
import { createOpenAIGenerator } from "../../../src/run/generators/openai.js";
import { type BuiltinServer, startServer } from "../../../src/run/serve/index.js";

let server: BuiltinServer;

/** The fields of a completion or error body the tests read. */
interface Body {
  object: string;
  choices: { index: number; message: { content: string }; finish_reason: string }[];
  usage: Record<string, number>;
  error: { message: string; type: string; code: string; param: string | null };
}

beforeAll(async () => {
  server = await startServer({ task: "add", seed: 11, port: 0, forms: 2, pads: 4 });
});
afterAll(async () => {
  await server.close();
});

async function post(body: unknown, path = "/chat/completions") {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Body };
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "openloop-builtin-add",
  messages: [{ role: "user", content }],
  ...extra,
});

describe("openloop serve (in-process, real HTTP)", () => {
  it("lists its one model", async () => {
    const res = await fetch(`${server.baseUrl}/models`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ object: "list", data: [{ id: "openloop-builtin-add", object: "model" }] });
    expect((await fetch(`${server.baseUrl}/models/openloop-builtin-add`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/models/gpt-4`)).status).toBe(404);
  });

  it("answers n choices, reproducibly for a seed, with usage counts", async () => {
    const a = await post(ask("What is 9 + 6?", { n: 5, seed: 3 }));
    const b = await post(ask("What is 9 + 6?", { n: 5, seed: 3 }));
    expect(a.status).toBe(200);
    expect(a.json.object).toBe("chat.completion");
    expect(a.json.choices).toHaveLength(5);
    expect(a.json.choices.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(b.json.choices).toEqual(a.json.choices);
    const texts: string[] = a.json.choices.map((c) => c.message.content);
    // Every response is a number in one of the two forms ("12" or "12.0") with 0..3 padding tokens.
    for (const t of texts) expect(t).toMatch(/^\d+(\.0)?( _){0,3}$/);
    const tokens = texts.reduce((s, t) => s + t.split(" ").filter((w) => w === "_").length + 1, 0);
    // "What is 9 + 6?" is five whitespace-separated words.
    expect(a.json.usage).toEqual({ prompt_tokens: 5, completion_tokens: tokens, total_tokens: 5 + tokens });
  });

  it("samples the same bytes as the in-process student for the same request seed", async () => {
    const student = createBuiltinStudent({ task: "add", seed: 11, forms: 2, pads: 4 });
    const p = student.prompts(1, 0)[0];
    const local = await student.generator.generate({
      promptId: p.promptId,
      messages: p.messages,
      n: 8,
      seed: 42,
    });
    const remote = await post(ask(p.text, { n: 8, seed: 42 }));
    expect(remote.json.choices.map((c) => c.message.content)).toEqual(local.map((c) => c.text));
  });

  it("is greedy at temperature 0 and cuts padding at max_tokens", async () => {
    const greedy = await post(ask("What is 2 + 2?", { n: 6, seed: 1, temperature: 0 }));
    expect(new Set(greedy.json.choices.map((c) => c.message.content)).size).toBe(1);
    const cut = await post(ask("What is 2 + 2?", { n: 32, seed: 1, max_tokens: 1 }));
    for (const c of cut.json.choices) {
      expect(c.message.content).not.toContain("_");
      expect(["stop", "length"]).toContain(c.finish_reason);
    }
    expect(cut.json.choices.some((c) => c.finish_reason === "length")).toBe(true);
    expect(cut.json.usage.completion_tokens).toBe(32);
  });

  it("works through openloop's own OpenAI-compatible generator", async () => {
    const generator = createOpenAIGenerator({
      baseUrl: server.baseUrl,
      model: "openloop-builtin-add",
      rng: createRng(1),
      concurrency: 4,
    });
    const messages = [{ role: "user" as const, content: "What is 7 + 8?" }];
    const first = await generator.generate({ promptId: "q", messages, n: 6, seed: 5 });
    const again = await generator.generate({ promptId: "q", messages, n: 6, seed: 5 });
    expect(first).toHaveLength(6);
    expect(first.every((c) => typeof c.text === "string" && c.error === undefined)).toBe(true);
    expect(again).toEqual(first);
    const unknown = await generator.generate({
      promptId: "u",
      messages: [{ role: "user", content: "hello" }],
      n: 2,
      seed: 5,
    });
    expect(unknown[0].error).toMatch(/HTTP 400.*unknown prompt/);
  });

  it.each([
    ["bad JSON", "{not json", 400, "invalid_json", null],
    ["not an object", "[1]", 400, "invalid_json", null],
    ["no model", { messages: [{ role: "user", content: "What is 1 + 1?" }] }, 400, "invalid_value", "model"],
    ["no messages", { model: "openloop-builtin-add", messages: [] }, 400, "invalid_value", "messages"],
    [
      "bad role",
      { model: "openloop-builtin-add", messages: [{ role: "bot", content: "x" }] },
      400,
      "invalid_value",
      "messages[0].role",
    ],
    ["n = 0", ask("What is 1 + 1?", { n: 0 }), 400, "invalid_value", "n"],
    ["n = 1.5", ask("What is 1 + 1?", { n: 1.5 }), 400, "invalid_value", "n"],
    ["temperature 6", ask("What is 1 + 1?", { temperature: 6 }), 400, "invalid_value", "temperature"],
    ["seed as string", ask("What is 1 + 1?", { seed: "1" }), 400, "invalid_value", "seed"],
    ["max_tokens 0", ask("What is 1 + 1?", { max_tokens: 0 }), 400, "invalid_value", "max_tokens"],
    ["stream", ask("What is 1 + 1?", { stream: true }), 400, "unsupported_value", "stream"],
    ["unknown prompt", ask("What is 1 + 100?"), 400, "unknown_prompt", "messages"],
    ["unknown model", { ...ask("What is 1 + 1?"), model: "gpt-4o" }, 404, "model_not_found", "model"],
  ])("%s -> OpenAI-shaped error", async (_name, body, status, code, param) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.json.error).toMatchObject({ type: "invalid_request_error", code, param });
    expect(typeof res.json.error.message).toBe("string");
  });

  it("answers 404 on an unknown route and 405 on a wrong method", async () => {
    const unknown = await post(ask("What is 1 + 1?"), "/completions");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");
    const wrong = await fetch(`${server.baseUrl}/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  it("rejects a body over 1 MiB with 413", async () => {
    const res = await post(ask("x".repeat(1 << 20)));
    expect(res.status).toBe(413);
  });
});
