import { afterEach, describe, expect, it } from "vitest";
import { createRng } from "../../../src/info/index.js";
import {
  chatCompletionsUrl,
  createChatClient,
  isEndpointFailure,
} from "../../../src/run/endpoint/chat-client.js";
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter } from "../../../src/run/endpoint/retry.js";
import { createSemaphore } from "../../../src/run/endpoint/semaphore.js";
import { type Behaviour, type FaultServer, startFaultServer } from "../../helpers/fault-server.js";

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = { model: "m", messages: [{ role: "user" as const, content: "2+2?" }], n: 2, seed: 5 };

async function clientFor(script: Behaviour[], timeoutMs = 300) {
  server = await startFaultServer(script);
  const delays: number[] = [];
  const client = createChatClient({
    baseUrl: server.baseUrl,
    apiKey: "sk-test",
    timeoutMs,
    rng: createRng(1),
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { client, delays };
}

describe("retry policy", () => {
  it.each([
    ["3", 3000],
    ["0.5", 500],
    ["", undefined],
    ["soon", undefined],
  ])("parses Retry-After %j", (header, expected) => {
    expect(parseRetryAfter(header, 0)).toBe(expected);
  });

  it("parses an HTTP-date Retry-After relative to now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", now)).toBe(7000);
  });

  it("backs off within the exponential ceiling and never below Retry-After", () => {
    const rng = createRng(3);
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** attempt);
      const delay = backoffDelay(attempt, DEFAULT_RETRY, rng);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceiling);
      expect(backoffDelay(attempt, DEFAULT_RETRY, rng, 45_000)).toBeGreaterThanOrEqual(45_000);
    }
  });

  it.each([
    ["http://h:1/v1", "http://h:1/v1/chat/completions"],
    ["http://h:1/v1/", "http://h:1/v1/chat/completions"],
    ["https://api.example.com", "https://api.example.com/chat/completions"],
  ])("builds the completions URL from %s", (base, url) => {
    expect(chatCompletionsUrl(base)).toBe(url);
  });

  it("rejects a base URL that is not a URL", () => {
    expect(() => chatCompletionsUrl("localhost:8000")).toThrow(/invalid endpoint base_url 'localhost:8000'/);
  });
});

describe("chat client against a real server on loopback", () => {
  it("sends the request with the API key and reads the choices", async () => {
    const { client, delays } = await clientFor([]);
    const result = await client.complete(request);
    expect(isEndpointFailure(result)).toBe(false);
    expect(result).toEqual({
      choices: [
        { index: 0, text: "answer 5.0", finishReason: "stop" },
        { index: 1, text: "answer 5.1", finishReason: "stop" },
      ],
    });
    expect(server?.requests[0].headers.authorization).toBe("Bearer sk-test");
    expect(server?.requests[0].body).toMatchObject({ model: "m", n: 2, seed: 5 });
    expect(delays).toEqual([]);
  });

  it.each<[string, Behaviour]>([
    ["a 500", { kind: "status", status: 500 }],
    ["a 503", { kind: "status", status: 503 }],
    ["a timeout", { kind: "hang" }],
    ["a dropped connection", { kind: "drop" }],
    ["malformed JSON", { kind: "malformed" }],
  ])("retries after %s and succeeds", async (_name, fault) => {
    const { client, delays } = await clientFor([fault, fault]);
    const result = await client.complete(request);
    expect(isEndpointFailure(result)).toBe(false);
    expect(server?.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("honours Retry-After on 429", async () => {
    const { client, delays } = await clientFor([{ kind: "status", status: 429, retryAfter: "2" }]);
    const result = await client.complete(request);
    expect(isEndpointFailure(result)).toBe(false);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
  });

  it("gives up after the last attempt with the reason, without throwing", async () => {
    const fault: Behaviour = { kind: "status", status: 502 };
    const { client } = await clientFor([fault, fault, fault, fault, fault]);
    const result = await client.complete(request);
    expect(result).toMatchObject({ attempts: 4, status: 502 });
    expect(isEndpointFailure(result) && result.error).toMatch(/^HTTP 502/);
  });

  it("does not retry a client error such as 400", async () => {
    const { client, delays } = await clientFor([{ kind: "status", status: 400 }]);
    const result = await client.complete(request);
    expect(result).toMatchObject({ attempts: 1, status: 400 });
    expect(delays).toEqual([]);
  });

  it("reports a refused connection as a failure", async () => {
    server = await startFaultServer([]);
    const url = server.baseUrl;
    await server.close();
    server = undefined;
    const client = createChatClient({
      baseUrl: url,
      rng: createRng(1),
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: async () => {},
    });
    const result = await client.complete(request);
    expect(isEndpointFailure(result) && result.error).toMatch(/connection failed/);
  });
});

describe("semaphore", () => {
  it("never runs more than the limit at once and runs every task", async () => {
    const semaphore = createSemaphore(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        semaphore.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, (i % 4) + 1));
          active--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
