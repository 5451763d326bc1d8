/**
 * `openloop serve`'s server: the built-in student behind an OpenAI-compatible HTTP API
 * (`GET /v1/models`, `GET /v1/models/{id}`, `POST /v1/chat/completions`, `GET /health`) on
 * node:http. The student is built once; each request only validates, samples and serialises,
 * and connections are kept alive, so one process serves thousands of samples per second.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OpenloopError } from "../../errors.js";
import { createRng } from "../../info/index.js";
import type { TaskName } from "../../lab/index.js";
import { createBuiltinStudent } from "../builtin/index.js";
import { ApiError } from "./api-error.js";
import { type CompletionContext, completeChat } from "./completion.js";
import { parseCompletionRequest } from "./request.js";

/** Settings of the server and of the student it serves. */
export interface ServeOptions {
  task: TaskName;
  /** Seeds the student and the seeds of requests that give none. */
  seed: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 8000; 0 picks a free port). */
  port?: number;
  /** Temperature of requests that give none (default 1). */
  temperature?: number;
  /** Acceptable surface forms the student writes (default 1). */
  forms?: number;
  /** Padding lengths 0..pads-1 (default 1: none). */
  pads?: number;
}

/** A running server. */
export interface BuiltinServer {
  /** The base URL clients use, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  host: string;
  port: number;
  /** The id of the served model, e.g. `openloop-builtin-add`. */
  model: string;
  /** Stops accepting connections, closes open ones and resolves when the server is down. */
  close(): Promise<void>;
}

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 1 << 20;

/** The model id under which the built-in student on `task` is served. */
export function builtinModelId(task: TaskName): string {
  return `openloop-builtin-${task}`;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  const api =
    error instanceof ApiError
      ? error
      : new ApiError(500, `internal error: ${(error as Error).message ?? String(error)}`);
  send(res, api.status, api.body(), api.headers);
}

function readBody(req: IncomingMessage, done: (raw: string) => void, fail: (error: ApiError) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on("data", (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      failed = true;
      fail(
        new ApiError(413, `the request body exceeds ${MAX_BODY_BYTES} bytes`, null, "body_too_large", {
          connection: "close",
        }),
      );
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (!failed)
      done(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"));
  });
}

/**
 * Builds the student and starts serving it. Rejects with an `OpenloopError` ("io") when the
 * address cannot be bound.
 * @example const server = await startServer({ task: "add", seed: 0, port: 0 }); console.log(server.baseUrl);
 */
export async function startServer(options: ServeOptions): Promise<BuiltinServer> {
  const host = options.host ?? "127.0.0.1";
  const temperature = options.temperature ?? 1;
  const student = createBuiltinStudent({
    task: options.task,
    seed: options.seed,
    temperature,
    forms: options.forms,
    pads: options.pads,
  });
  const model = builtinModelId(options.task);
  const seeds = createRng(options.seed);
  const started = Math.floor(Date.now() / 1000);
  let served = 0;
  const context: CompletionContext = {
    student,
    model,
    temperature,
    nextSeed: () => seeds.int(2 ** 31),
    nextId: () => `chatcmpl-openloop-${(served++).toString(36)}`,
    now: () => Math.floor(Date.now() / 1000),
  };
  const modelCard = { id: model, object: "model", created: started, owned_by: "openloop" };
  const routes: Record<string, string> = {
    "/v1/chat/completions": "POST",
    "/v1/models": "GET",
    "/health": "GET",
  };

  const server = createServer({ noDelay: true }, (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    try {
      if (method === "POST" && path === "/v1/chat/completions") {
        readBody(
          req,
          (raw) => {
            try {
              send(res, 200, completeChat(parseCompletionRequest(raw), context));
            } catch (error) {
              sendError(res, error);
            }
          },
          (error) => sendError(res, error),
        );
        return;
      }
      if (method === "GET" && path === "/v1/models")
        return send(res, 200, { object: "list", data: [modelCard] });
      if (method === "GET" && path.startsWith("/v1/models/")) {
        const id = decodeURIComponent(path.slice("/v1/models/".length));
        if (id === model) return send(res, 200, modelCard);
        throw new ApiError(
          404,
          `the model '${id}' does not exist; this server serves '${model}'`,
          "model",
          "model_not_found",
        );
      }
      if (method === "GET" && path === "/health") return send(res, 200, { status: "ok", model });
      const allowed = routes[path];
      if (allowed !== undefined) {
        throw new ApiError(
          405,
          `${method} is not allowed on ${path}; use ${allowed}`,
          null,
          "method_not_allowed",
          { allow: allowed },
        );
      }
      throw new ApiError(
        404,
        `unknown route ${method} ${path}; this server answers GET /v1/models and POST /v1/chat/completions`,
        null,
        "not_found",
      );
    } catch (error) {
      sendError(res, error);
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new OpenloopError(
          "io",
          `cannot listen on ${host}:${options.port ?? 8000}: ${error.code ?? error.message}`,
          {
            hint:
              error.code === "EADDRINUSE"
                ? "the port is taken; pick another with --port, or --port 0 for a free one"
                : undefined,
          },
        ),
      ),
    );
    server.listen(options.port ?? 8000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    baseUrl: `http://${shown}:${port}/v1`,
    host,
    port,
    model,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
