/**
 * Checks before a run spends anything: every API key variable the spec names is set, and the
 * endpoint answers (`GET {base_url}/models`). Each failure is a clear `OpenloopError` (exit 2).
 */
import { OpenloopError } from "../../errors.js";
import type { PipelineSpec } from "../../spec/index.js";

/**
 * Reads the API key variables of the generator and of judge verifiers (by signal index); throws
 * naming a missing one.
 */
export function resolveApiKeys(
  spec: PipelineSpec,
  specFile: string,
  env: Record<string, string | undefined>,
): { generator?: string; judges: Record<number, string | undefined> } {
  const need = (name: string, path: string) => {
    const value = env[name];
    if (value === undefined || value === "")
      throw new OpenloopError("usage", `the API key variable ${name} is not set`, {
        where: { file: specFile, path },
        hint: `export ${name}=... before running, or remove api_key_env if the endpoint needs no key`,
      });
    return value;
  };
  const judges: Record<number, string | undefined> = {};
  spec.signals.forEach((signal, i) => {
    const config = signal.verifier;
    if (config?.type === "judge")
      judges[i] =
        config.api_key_env === undefined
          ? undefined
          : need(config.api_key_env, `signals[${i}].verifier.api_key_env`);
  });
  const name = spec.generator.endpoint?.api_key_env;
  return { generator: name === undefined ? undefined : need(name, "generator.endpoint.api_key_env"), judges };
}

/** The `/models` URL next to a base URL's chat completions. */
function modelsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/models`;
  return url.toString();
}

/**
 * Probes an endpoint with `GET {base_url}/models`. Any HTTP answer but 401/403 counts as
 * reachable (some servers have no /models); a refused connection, a DNS failure or a timeout
 * is an `endpoint` error.
 */
export async function probeEndpoint(
  baseUrl: string,
  apiKey: string | undefined,
  path = "generator.endpoint.base_url",
  timeoutMs = 10_000,
): Promise<void> {
  const url = modelsUrl(baseUrl);
  let status: number;
  try {
    const response = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${timeoutMs / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new OpenloopError("endpoint", `cannot reach the endpoint ${baseUrl} (${reason})`, {
      where: { path },
      hint: "start the server (e.g. `openloop serve`, vLLM, Ollama) or fix base_url",
    });
  }
  if (status === 401 || status === 403)
    throw new OpenloopError("endpoint", `the endpoint ${baseUrl} refused the API key (HTTP ${status})`, {
      where: { path: path.replace(/base_url$/, "api_key_env") },
      hint: "check the key in the variable named by api_key_env",
    });
}
