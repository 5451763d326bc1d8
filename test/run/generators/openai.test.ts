import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRng } from "../../../src/info/index.js";
import { cacheKey, canonicalJson, openDiskCache } from "../../../src/run/endpoint/cache.js";
import { createOpenAIGenerator } from "../../../src/run/generators/openai.js";
import { type Behaviour, type FaultServer, startFaultServer } from "../../helpers/fault-server.js";

let server: FaultServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ask = {
  promptId: "q1",
  messages: [{ role: "user" as const, content: "What is 6*7?" }],
  n: 4,
  seed: 11,
};

async function generatorFor(script: Behaviour[], withCache = false) {
  server = await startFaultServer(script);
  const dir = mkdtempSync(join(tmpdir(), "openloop-cache-"));
  dirs.push(dir);
  const generator = createOpenAIGenerator({
    baseUrl: server.baseUrl,
    model: "tiny",
    temperature: 1,
    timeoutMs: 300,
    rng: createRng(2),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    cache: withCache ? openDiskCache(dir) : undefined,
  });
  return { generator, dir };
}

describe("canonical cache keys", () => {
  it("ignores key order and undefined fields", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(cacheKey({ x: 1, y: 2 })).toBe(cacheKey({ y: 2, x: 1 }));
    expect(cacheKey({ x: 1 })).not.toBe(cacheKey({ x: 2 }));
  });
});

describe("OpenAI-compatible generator", () => {
  it("returns n candidates in order", async () => {
    const { generator } = await generatorFor([]);
    const candidates = await generator.generate(ask);
    expect(candidates.map((c) => c.text)).toEqual([
      "answer 11.0",
      "answer 11.1",
      "answer 11.2",
      "answer 11.3",
    ]);
    expect(generator.id).toContain("openai-compatible tiny @ http://127.0.0.1:");
  });

  it("asks again for the missing choices when the server returns fewer", async () => {
    const { generator } = await generatorFor([{ kind: "fewer", choices: 1 }]);
    const candidates = await generator.generate(ask);
    expect(candidates.every((c) => typeof c.text === "string")).toBe(true);
    expect(server?.requests.map((r) => r.body.n)).toEqual([4, 3]);
    expect(server?.requests.map((r) => r.body.seed)).toEqual([11, 12]);
  });

  it("records the error in every slot it could not fill, keeping the samples it has", async () => {
    const fault: Behaviour = { kind: "status", status: 500 };
    const { generator } = await generatorFor([{ kind: "fewer", choices: 2 }, fault, fault, fault]);
    const candidates = await generator.generate(ask);
    expect(candidates.slice(0, 2).map((c) => c.text)).toEqual(["answer 11.0", "answer 11.1"]);
    expect(candidates[2].error).toMatch(/HTTP 500.*after 3 attempts/);
    expect(candidates[3].error).toBe(candidates[2].error);
  });

  it("serves a repeated request from the disk cache without calling the endpoint", async () => {
    const { generator, dir } = await generatorFor([], true);
    const first = await generator.generate(ask);
    const second = await generator.generate(ask);
    expect(server?.requests).toHaveLength(1);
    expect(second.map((c) => c.text)).toEqual(first.map((c) => c.text));
    expect(second.every((c) => c.cached)).toBe(true);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("never caches a failure", async () => {
    const fault: Behaviour = { kind: "status", status: 503 };
    const { generator, dir } = await generatorFor([fault, fault, fault], true);
    const failed = await generator.generate(ask);
    expect(failed.every((c) => c.error !== undefined)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    const retried = await generator.generate(ask);
    expect(retried.every((c) => c.text !== undefined && !c.cached)).toBe(true);
  });
});
