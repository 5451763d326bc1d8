/**
 * The run's data shapes: one prompt of an iteration, the journal entries (a run header, one
 * completed prompt-unit with every candidate and every signal, one trained iteration), and the
 * built-in student the runner trains between iterations.
 */
import type { RecordValue } from "../../records/index.js";
import type { ChatMessage } from "../endpoint/chat-client.js";
import type { Generator } from "../generators/types.js";

/** One prompt of an iteration, ready to send and to verify against. */
export interface RunPrompt {
  id: string;
  /** The prompt text (the last user message when the source gives chat messages). */
  text: string;
  messages: ChatMessage[];
  /** Fields a verifier may read (`gold`, a tests field, ...), from the prompt source. */
  fields: Record<string, unknown>;
  /** A reference answer the `reference` selection trains on, when the source has one. */
  reference?: string;
}

/** One candidate response as journaled: its text or its error, and every signal's value. */
export interface CandidateEntry {
  response?: string;
  error?: string;
  /** Signal name -> recorded value (a verdict's pass, or its score for scalar signals). */
  signals: Record<string, RecordValue>;
  /** Signal name -> whether the verifier passed the response. */
  pass: Record<string, boolean>;
  class?: string;
  gold?: boolean;
  features?: Record<string, RecordValue>;
}

/** The first journal line: what run this journal belongs to. */
export interface StartEntry {
  type: "start";
  version: 1;
  spec_sha256: string;
  limit_prompts: number | null;
  /** SHA-256 of the real-data file (`real_data.path`), when there is one. */
  real_data_sha256?: string;
}

/** A completed prompt-unit: every candidate with every signal. */
export interface UnitEntry {
  type: "unit";
  iteration: number;
  index: number;
  prompt_id: string;
  prompt: string;
  /** The chat messages sent, when they are more than the one user message `prompt`. */
  messages?: ChatMessage[];
  reference?: string;
  candidates: CandidateEntry[];
}

/** A trained iteration of the built-in student (written after its training and evaluation). */
export interface IterationEntry {
  type: "iteration";
  iteration: number;
  trained_on: number;
  held_out_accuracy: number;
}

/** Any journal line. */
export type JournalEntry = StartEntry | UnitEntry | IterationEntry;

/** A training example for the built-in student: a prompt, a response and its weight. */
export interface TrainingExample {
  promptId: string;
  prompt: string;
  response: string;
  /** 1 for a kept sample (RFT); the group-normalised advantage for `reward` selection (RLVR). */
  weight: number;
}

/** The student a run trains between iterations (the built-in model). */
export interface TrainableStudent {
  generator: Generator;
  /** The prompts of an iteration: a function of the seed and the iteration only. */
  prompts(iteration: number, count: number): RunPrompt[];
  /** Ground-truth correctness of a response, where the task knows it. */
  isCorrect?(prompt: RunPrompt, response: string): boolean;
  /** Deterministic training on one iteration's examples. */
  train(examples: TrainingExample[]): void;
  /** Held-out accuracy in [0, 1]. */
  evaluate(): number;
  /** Every training prompt of the task with its gold reference (the built-in real data). */
  referencePrompts?(): RunPrompt[];
  /** The id of the training prompt a conversation asks, or undefined when it asks none. */
  promptIdOf?(messages: ChatMessage[]): string | undefined;
}
