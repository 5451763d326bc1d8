import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJudgeScore } from "../../../src/run/verifiers/judge.js";
import { verify } from "../../../src/run/verifiers/verify.js";
import { verifierConfigSchema } from "../../../src/spec/verifier-config.js";

interface Seen {
  url: string;
  auth: string | undefined;
  body: { model: string; temperature: number; messages: { role: string; content: string }[] };
}

describe("judge verifier against a real HTTP server on 127.0.0.1", () => {
  let server: Server;
  let base = "";
  const seen: Seen[] = [];
  let rateLimited = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = "";
      req.on("data", (chunk) => {
        data += chunk;
      });
      req.on("end", () => {
        const body = JSON.parse(data) as Seen["body"];
        seen.push({ url: req.url ?? "", auth: req.headers.authorization, body });
        const user = body.messages[1].content;
        if (user.includes("FAIL500")) {
          res.writeHead(500).end("boom");
          return;
        }
        if (user.includes("RATE429") && !rateLimited) {
          rateLimited = true;
          res.writeHead(429, { "retry-after": "0" }).end("slow down");
          return;
        }
        // a deterministic judge: the score is the fraction of the word "good" among words
        const response = user.split("Response:\n")[1] ?? "";
        const words = response.split(/\s+/).filter(Boolean);
        const score = words.filter((w) => w === "good").length / Math.max(1, words.length);
        const content = user.includes("PROSE")
          ? `I'd give it 7/10.`
          : JSON.stringify({ score, reason: "counted" });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] }));
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const judge = (extra: Record<string, unknown> = {}) =>
    verifierConfigSchema.parse({
      type: "judge",
      base_url: base,
      model: "judge-model-1",
      rubric: "Reward the word good.",
      threshold: 0.5,
      ...extra,
    });

  it("scores, passes at the threshold and sends the fixed request", async () => {
    const verdict = await verify(
      judge({ api_key_env: "JUDGE_KEY" }),
      { prompt: "Say it", response: "good good bad" },
      {
        env: { JUDGE_KEY: "k-123" },
      },
    );
    expect(verdict.pass).toBe(true);
    expect(verdict.score).toBeCloseTo(2 / 3, 12);
    const last = seen[seen.length - 1];
    expect(last.url).toBe("/v1/chat/completions");
    expect(last.auth).toBe("Bearer k-123");
    expect(last.body.model).toBe("judge-model-1");
    expect(last.body.temperature).toBe(0);
    expect(last.body.messages[1].content).toBe(
      "Rubric:\nReward the word good.\n\nPrompt:\nSay it\n\nResponse:\ngood good bad",
    );
  });

  it("fails below the threshold with the score", async () => {
    const verdict = await verify(judge(), { response: "good bad bad bad" });
    expect(verdict).toEqual({ pass: false, score: 0.25, reason: "score 0.25 below threshold 0.5" });
  });

  it("reads an x/10 reply", async () => {
    expect(await verify(judge(), { response: "PROSE" })).toMatchObject({ pass: true, score: 0.7 });
  });

  it("turns an HTTP error that outlasts the retries into an error verdict", async () => {
    const before = seen.length;
    const verdict = await verify(judge(), { response: "FAIL500" });
    expect(verdict).toMatchObject({ pass: false, status: "error" });
    expect(verdict.reason).toMatch(/HTTP 500.*after 3 attempts/);
    expect(seen.length - before).toBe(3);
  });

  it("retries a rate limit and then scores", async () => {
    const before = seen.length;
    const verdict = await verify(judge(), { response: "RATE429 good" });
    expect(verdict).toMatchObject({ pass: true, score: 0.5 });
    expect(seen.length - before).toBe(2);
  });

  it("throws when the API key variable is missing", async () => {
    await expect(
      verify(judge({ api_key_env: "NOPE_KEY" }), { response: "good" }, { env: {} }),
    ).rejects.toMatchObject({
      code: "input",
    });
  });

  it("an unreachable endpoint is an error verdict", async () => {
    const c = verifierConfigSchema.parse({
      type: "judge",
      base_url: "http://127.0.0.1:1/v1",
      model: "m",
      rubric: "r",
    });
    expect(await verify(c, { response: "x" })).toMatchObject({ pass: false, status: "error" });
  });
});

describe("judge helpers", () => {
  it.each([
    ['{"score": 0.8, "reason": "ok"}', 0.8],
    ["Score: 0.3", 0.3],
    ["8/10", 0.8],
    ["  1 ", 1],
    ['{"score": 7}', null],
    ["no idea", null],
  ])("parseJudgeScore(%j) = %s", (reply, score) => {
    expect(parseJudgeScore(reply)).toBe(score);
  });
});
