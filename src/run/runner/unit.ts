/**
 * One prompt-unit: sample `n` candidates for a prompt (in requests of at most the endpoint's `n`
 * choices), compute every signal on each successful candidate, and return the unit as it is
 * journaled. A failed generation becomes a candidate with an `error` and no signals, never a crash.
 */
import type { RecordValue } from "../../records/index.js";
import type { Candidate, Generator } from "../generators/types.js";
import { deriveSeed } from "./seed.js";
import type { SignalComputer } from "./signals.js";
import type { CandidateEntry, RunPrompt, TrainableStudent, UnitEntry } from "./types.js";

/** What a unit needs from the run. */
export interface UnitContext {
  generator: Generator;
  signals: SignalComputer;
  samplesPerPrompt: number;
  /** Choices per request (the API's `n`). */
  perRequest: number;
  baseSeed: number;
  student?: TrainableStudent;
}

async function sample(ctx: UnitContext, prompt: RunPrompt, seed: number): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (let request = 0; out.length < ctx.samplesPerPrompt; request++) {
    const n = Math.min(ctx.perRequest, ctx.samplesPerPrompt - out.length);
    const got = await ctx.generator.generate({
      promptId: prompt.id,
      messages: prompt.messages,
      n,
      seed: request === 0 ? seed : deriveSeed(seed, request),
    });
    for (let i = 0; i < n; i++)
      out.push(got[i] ?? { index: i, error: "generator returned too few candidates" });
  }
  return out;
}

/** Runs prompt `index` of `iteration`: samples, then every signal on every candidate. */
export async function runUnit(
  ctx: UnitContext,
  iteration: number,
  index: number,
  prompt: RunPrompt,
): Promise<UnitEntry> {
  const seed = deriveSeed(ctx.baseSeed, iteration, index);
  const candidates = await sample(ctx, prompt, seed);
  const entries = await Promise.all(
    candidates.map(async (candidate, c): Promise<CandidateEntry> => {
      if (candidate.text === undefined)
        return { error: candidate.error ?? "generation failed", signals: {}, pass: {} };
      const values = await ctx.signals.compute(prompt, candidate.text, deriveSeed(seed, 1_000_003, c));
      const entry: CandidateEntry = { response: candidate.text, ...values };
      const gold = ctx.student?.isCorrect?.(prompt, candidate.text);
      if (gold !== undefined) entry.gold = gold;
      const features: Record<string, RecordValue> = {};
      if (candidate.finishReason) features.finish_reason = candidate.finishReason;
      if (Object.keys(features).length > 0) entry.features = features;
      return entry;
    }),
  );
  const unit: UnitEntry = {
    type: "unit",
    iteration,
    index,
    prompt_id: prompt.id,
    prompt: prompt.text,
    candidates: entries,
  };
  const single = prompt.messages.length === 1 && prompt.messages[0].role === "user";
  if (!single || prompt.messages[0].content !== prompt.text) unit.messages = prompt.messages;
  if (prompt.reference !== undefined) unit.reference = prompt.reference;
  return unit;
}
