/**
 * The prompts of a built-in task as chat prompts: the task's prompt text is the user message.
 * Splits the task's prompts into training and held-out sets, draws each iteration's prompts from
 * the training set, and maps a chat conversation back to the task prompt it asks.
 */
import type { Rng } from "../../info/index.js";
import { type Prompt, splitPrompts, type TaskFamily } from "../../lab/index.js";
import type { ChatMessage } from "../endpoint/chat-client.js";

/** One prompt of a built-in task, ready to send to a generator. */
export interface BuiltinPrompt {
  /** The task prompt's id, e.g. `add-3-4`. */
  promptId: string;
  /** The chat conversation: one user message holding the prompt text. */
  messages: ChatMessage[];
  /** The gold answer (a whole number). */
  gold: number;
  /** The prompt text, e.g. `What is 3 + 4?`. */
  text: string;
}

/** A task's prompts split for training and evaluation, with a lookup by text and by id. */
export interface PromptSet {
  task: TaskFamily;
  train: readonly Prompt[];
  heldOut: readonly Prompt[];
  /** The training prompts in a fixed shuffled order, from which iterations draw in turn. */
  order: readonly Prompt[];
  byText: ReadonlyMap<string, Prompt>;
  byId: ReadonlyMap<string, Prompt>;
}

/** Splits `task` into `heldOut` held-out prompts (at most half) and a shuffled training order. */
export function createPromptSet(task: TaskFamily, heldOut: number, rng: Rng): PromptSet {
  const split = splitPrompts(task, heldOut, rng.fork());
  const order = split.train.slice();
  const shuffle = rng.fork();
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffle.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return {
    task,
    train: split.train,
    heldOut: split.heldOut,
    order,
    byText: new Map(task.prompts.map((p) => [p.text, p])),
    byId: new Map(task.prompts.map((p) => [p.id, p])),
  };
}

/** The chat form of a task prompt. */
export function toBuiltinPrompt(prompt: Prompt): BuiltinPrompt {
  return {
    promptId: prompt.id,
    messages: [{ role: "user", content: prompt.text }],
    gold: prompt.gold,
    text: prompt.text,
  };
}

/**
 * `count` training prompts for iteration `iteration`: consecutive slices of the fixed training
 * order (wrapping around), so iteration 0 always gives the same prompts and later iterations
 * bring prompts not seen before until the training set is exhausted.
 */
export function drawPrompts(set: PromptSet, count: number, iteration: number): BuiltinPrompt[] {
  const size = set.order.length;
  const start = (((iteration * count) % size) + size) % size;
  return Array.from({ length: count }, (_, i) => toBuiltinPrompt(set.order[(start + i) % size]));
}

/**
 * The task prompt a conversation asks: the last user message, trimmed, must be a prompt text of
 * the task. Returns the prompt, or a message saying why none matched.
 */
export function findPrompt(set: PromptSet, messages: readonly ChatMessage[]): Prompt | string {
  let user: ChatMessage | undefined;
  for (let i = messages.length - 1; i >= 0 && user === undefined; i--) {
    if (messages[i].role === "user") user = messages[i];
  }
  if (user === undefined) return "the conversation has no user message";
  const prompt = set.byText.get(user.content.trim());
  if (prompt !== undefined) return prompt;
  const example = set.task.prompts[Math.min(7, set.task.prompts.length - 1)].text;
  const shown = user.content.length > 80 ? `${user.content.slice(0, 77)}...` : user.content;
  return `unknown prompt for built-in task '${set.task.name}' (${set.task.summary}): '${shown}'; the built-in model answers only its task's prompts, e.g. '${example}'`;
}
