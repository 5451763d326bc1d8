/**
 * `openloop serve`: the built-in model behind an OpenAI-compatible HTTP API.
 */
export { ApiError } from "./api-error.js";
export type { CompletionContext, CompletionResponse } from "./completion.js";
export { completeChat } from "./completion.js";
export type { CompletionRequest } from "./request.js";
export { MAX_CHOICES, parseCompletionRequest } from "./request.js";
export type { BuiltinServer, ServeOptions } from "./server.js";
export { builtinModelId, MAX_BODY_BYTES, startServer } from "./server.js";
