/**
 * The generator contract: given a prompt, produce `n` candidate responses. Every slot is filled,
 * either with text or with the error that prevented it, so a fault never loses the other samples.
 */
import type { ChatMessage } from "../endpoint/chat-client.js";

/** What to generate for one prompt. */
export interface GenerationRequest {
  promptId: string;
  messages: ChatMessage[];
  n: number;
  seed: number;
}

/** One candidate: text on success, the error otherwise. */
export interface Candidate {
  index: number;
  text?: string;
  error?: string;
  finishReason?: string | null;
  cached?: boolean;
}

/** A source of candidate responses. */
export interface Generator {
  /** A short description for logs and the ledger, e.g. `openai-compatible qwen2.5 @ http://...`. */
  readonly id: string;
  /** Returns exactly `request.n` candidates, in index order. */
  generate(request: GenerationRequest): Promise<Candidate[]>;
}
