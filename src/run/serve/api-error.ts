/**
 * OpenAI-shaped API errors: an HTTP status and the body `{"error": {message, type, param, code}}`
 * that OpenAI clients read.
 */

/** An error answered to an API request. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    /** Extra response headers (e.g. `allow` on a 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The OpenAI error type for the status. */
  get type(): string {
    return this.status >= 500 ? "server_error" : "invalid_request_error";
  }

  /** The JSON body of the error response. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}
