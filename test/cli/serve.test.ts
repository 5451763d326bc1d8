import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { CLI, runOpenloop } from "../helpers/cli.js";

interface Served {
  child: ChildProcess;
  baseUrl: string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `openloop serve ...args` and resolves once it has printed its URL. */
function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, "serve", ...args], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const m = err.match(/at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      if (m) resolve({ child, baseUrl: m[1], stderr: () => err, exit });
    });
    void exit.then(({ code }) =>
      reject(new Error(`serve exited with ${code} before printing its URL: ${err}`)),
    );
  });
}

describe("openloop serve (the built binary)", () => {
  it("serves on a free port, answers real requests and stops cleanly on SIGTERM", async () => {
    const s = await serve(["--port", "0", "--task", "count", "--seed", "3"]);
    const models = (await (await fetch(`${s.baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["openloop-builtin-count"]);
    const body = {
      model: "openloop-builtin-count",
      n: 4,
      seed: 8,
      messages: [{ role: "user", content: "How many 1s are in 0110010111?" }],
    };
    const post = async () =>
      (await (
        await fetch(`${s.baseUrl}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json()) as { choices: { message: { content: string } }[] };
    const first = await post();
    expect(first.choices).toHaveLength(4);
    for (const c of first.choices) expect(Number(c.message.content)).toBeLessThanOrEqual(10);
    expect((await post()).choices).toEqual(first.choices);
    s.child.kill("SIGTERM");
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toContain("openloop serve: stopped (SIGTERM)");
    await expect(fetch(`${s.baseUrl}/models`)).rejects.toThrow();
  });

  it("stops cleanly on SIGINT", async () => {
    const s = await serve(["--port", "0"]);
    s.child.kill("SIGINT");
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toContain("stopped (SIGINT)");
  });

  it("exits 2 with a clear message when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = runOpenloop(["serve", "--port", String(port)]);
    blocker.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
  });

  it.each([
    [["--port", "70000"], "--port expects a whole number between 0 and 65535"],
    [["--task", "sort"], "--task expects one of count, add, max, weighted"],
    [["--temperature", "9"], "--temperature expects a number between 0 and 5"],
  ])("rejects %j with exit code 2", (args, message) => {
    const result = runOpenloop(["serve", ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
