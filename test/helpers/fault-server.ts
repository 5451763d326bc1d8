/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 that answers each request with the next
 * scripted behaviour: a good completion, an HTTP error (with Retry-After), a hang, a dropped
 * connection, malformed JSON, or fewer choices than asked. Used by endpoint and generator tests.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour =
  | { kind: "ok" }
  | { kind: "status"; status: number; retryAfter?: string }
  | { kind: "hang" }
  | { kind: "drop" }
  | { kind: "malformed" }
  | { kind: "fewer"; choices: number };

export interface FaultServer {
  baseUrl: string;
  requests: { body: Record<string, unknown>; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

/** Answers `n` choices, each `answer <seed>.<i>`. */
function completion(body: Record<string, unknown>, count: number) {
  return {
    id: "cmpl-test",
    object: "chat.completion",
    choices: Array.from({ length: count }, (_, i) => ({
      index: i,
      message: { role: "assistant", content: `answer ${String(body.seed)}.${i}` },
      finish_reason: "stop",
    })),
  };
}

/** Starts a server that plays `script` in order, then answers "ok" forever. */
export async function startFaultServer(script: Behaviour[]): Promise<FaultServer> {
  const queue = [...script];
  const requests: FaultServer["requests"] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      if (req.method === "GET") {
        // The model list (`GET /v1/models`, the runner's reachability probe) is never scripted.
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ object: "list", data: [{ id: "test-model", object: "model" }] }));
        return;
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      requests.push({ body, headers: req.headers });
      const behaviour = queue.shift() ?? { kind: "ok" };
      const n = typeof body.n === "number" ? body.n : 1;
      switch (behaviour.kind) {
        case "ok":
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(body, n)));
          return;
        case "fewer":
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify(completion(body, behaviour.choices)));
          return;
        case "status": {
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (behaviour.retryAfter !== undefined) headers["retry-after"] = behaviour.retryAfter;
          res.writeHead(behaviour.status, headers).end(JSON.stringify({ error: { message: "injected" } }));
          return;
        }
        case "hang":
          return;
        case "drop":
          req.socket.destroy();
          return;
        case "malformed":
          res.writeHead(200, { "content-type": "application/json" }).end('{"choices": [');
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
