/**
 * Computing every signal of a spec on one candidate: each signal's verifier on the record
 * (prompt fields, prompt, response), or, for a `random` signal without a verifier, a seeded coin.
 * Verifiers that start processes (code, command) share a concurrency limit.
 */
import { availableParallelism } from "node:os";
import { OpenloopError } from "../../errors.js";
import { createRng } from "../../info/index.js";
import type { RecordValue } from "../../records/index.js";
import type { PipelineSpec, Signal } from "../../spec/index.js";
import { createSemaphore, type Semaphore } from "../endpoint/semaphore.js";
import type { VerifyOptions } from "../verifiers/index.js";
import { verify } from "../verifiers/index.js";
import { deriveSeed } from "./seed.js";
import type { RunPrompt } from "./types.js";

/** What the signals say about one response. */
export interface SignalValues {
  signals: Record<string, RecordValue>;
  pass: Record<string, boolean>;
  class?: string;
}

/** Computes the signals of a spec on responses. */
export interface SignalComputer {
  compute(prompt: RunPrompt, response: string, seed: number): Promise<SignalValues>;
}

/**
 * Refuses a spec with a signal the run cannot compute (no verifier and not `random`), naming it.
 */
export function checkComputable(spec: PipelineSpec, specFile: string): void {
  spec.signals.forEach((signal, i) => {
    if (signal.verifier === undefined && signal.kind !== "random")
      throw new OpenloopError(
        "spec",
        `signal '${signal.name}' has no verifier: openloop run cannot compute it`,
        {
          where: { file: specFile, path: `signals[${i}].verifier` },
          hint: "add a verifier (math, code, schema, regex, contains, judge, command; see docs/spec.md) or remove the signal",
        },
      );
  });
}

function recordValue(signal: Signal, pass: boolean, score: number | undefined): RecordValue {
  if (score === undefined || signal.range.type === "binary") return pass;
  return score;
}

/** A signal computer for `spec`; `options` are the verifiers' host options (base dir, env). */
export function createSignalComputer(spec: PipelineSpec, options: VerifyOptions): SignalComputer {
  const processes: Semaphore = createSemaphore(Math.max(2, availableParallelism()));
  return {
    async compute(prompt, response, seed) {
      const record = { ...prompt.fields, prompt_id: prompt.id, prompt: prompt.text, response };
      const out: SignalValues = { signals: {}, pass: {} };
      const verdicts = await Promise.all(
        spec.signals.map((signal, i) => {
          const config = signal.verifier;
          if (config === undefined) {
            const pass = createRng(deriveSeed(seed, i)).next() < 0.5;
            return Promise.resolve({ pass, score: undefined, class: undefined });
          }
          const run = () => verify(config, record, options);
          return config.type === "code" || config.type === "command" ? processes.run(run) : run();
        }),
      );
      spec.signals.forEach((signal, i) => {
        const verdict = verdicts[i];
        out.signals[signal.name] = recordValue(signal, verdict.pass, verdict.score);
        out.pass[signal.name] = verdict.pass;
        if (out.class === undefined && verdict.class !== undefined) out.class = verdict.class;
      });
      return out;
    },
  };
}
