/**
 * The built-in student: the lab's learner (src/lab/policy.ts) on a built-in task, as a generator
 * openloop can run a whole loop with, training included, with no network. It samples responses
 * to the task's chat prompts, trains on weighted examples (SFT with unit weights, a
 * policy-gradient step with advantages) and reports held-out accuracy. Sampling for a request
 * depends only on (request seed, prompt) and the current parameters, never on call order, so
 * concurrent or resumed runs draw the same samples.
 */
import { OpenloopError } from "../../errors.js";
import { createRng, type Rng } from "../../info/index.js";
import {
  type Evaluation,
  type Example,
  MAX_FORMS,
  Policy,
  type Prompt,
  type Sample,
  TASK_NAMES,
  type TaskName,
  taskFamily,
} from "../../lab/index.js";
import type { ChatMessage } from "../endpoint/chat-client.js";
import type { Candidate, GenerationRequest, Generator } from "../generators/types.js";
import {
  type BuiltinPrompt,
  createPromptSet,
  drawPrompts,
  findPrompt,
  type PromptSet,
  toBuiltinPrompt,
} from "./prompts.js";
import { decodeResponse } from "./responses.js";

/** Settings of a built-in student. */
export interface BuiltinStudentOptions {
  /** The built-in task (`count`, `add`, `max`, `weighted`). */
  task: TaskName;
  /** Seeds the parameters, the train/held-out split, the prompt order and training order. */
  seed: number;
  /** Sampling temperature of the generator (default 1; 0 is greedy). */
  temperature?: number;
  /** Hidden units (default 16). */
  hidden?: number;
  /** Adam learning rate (default 0.03). */
  lr?: number;
  /** Acceptable surface forms M the student writes answers in (default 1: plain numbers). */
  forms?: number;
  /** Padding lengths 0..pads-1 the student may append (default 1: no padding). */
  pads?: number;
  /** Held-out prompts for `evaluate` (default 200, at most half the task). */
  heldOut?: number;
  /** SFT steps on 32 references each before any use, so the student starts knowing a little (default 10). */
  warmup?: number;
  /** Examples per optimizer step when every weight is non-negative (SFT, RFT; default 32). */
  batchSize?: number;
  /**
   * Examples per optimizer step when some weight is negative (policy gradient with advantages;
   * default 512): advantage-weighted gradients are far noisier than SFT targets, and small
   * batches of them destabilise the student (measured: docs/serve.md).
   */
  policyBatchSize?: number;
}

/** One training example: a response to a prompt and the weight of its log-likelihood. */
export interface TrainingExample {
  promptId: string;
  response: string;
  weight: number;
}

/** What one `train` call did. */
export interface TrainingSummary {
  /** Optimizer steps taken. */
  steps: number;
  /** Examples trained on. */
  used: number;
  /** Examples whose response the student cannot write (another form, value or padding), skipped. */
  skipped: number;
  /** Mean loss over the steps (0 when no step was taken). */
  loss: number;
}

/** Held-out quantities of the student (the lab's evaluation) and the number of held-out prompts. */
export interface StudentEvaluation extends Evaluation {
  prompts: number;
}

/** The built-in student. */
export interface BuiltinStudent {
  readonly task: TaskName;
  /** The generator over the task's chat prompts (unknown prompts give error candidates). */
  readonly generator: Generator;
  /** `count` training prompts for iteration `iteration` (iteration 0: the same set every time). */
  prompts(count: number, iteration: number): BuiltinPrompt[];
  /** Every training prompt (the split's training side, in its fixed order). */
  trainingPrompts(): BuiltinPrompt[];
  /** The task prompt a conversation asks, or a message saying why there is none. */
  findPrompt(messages: readonly ChatMessage[]): Prompt | string;
  /** Draws `n` responses to `prompt` from (seed, prompt) alone, at `temperature`. */
  sample(prompt: Prompt, n: number, seed: number, temperature: number): Sample[];
  /**
   * Trains on weighted examples, shuffled, one Adam step per batch: SFT with unit weights (batches
   * of `batchSize`), policy gradient when some weights are negative advantages (batches of
   * `policyBatchSize`).
   */
  train(examples: readonly TrainingExample[]): TrainingSummary;
  /** Exact held-out quantities of the current student. */
  evaluate(): StudentEvaluation;
}

/** Temperatures below this are sampled at it: effectively greedy. */
export const MIN_TEMPERATURE = 1e-6;

function fnv1a(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed of one request's sampling: a 52-bit hash of the request seed and the prompt id. */
export function requestSeed(seed: number, promptId: string): number {
  const key = `${seed}|${promptId}`;
  return (fnv1a(key, 0x811c9dc5) & 0xfffff) * 4294967296 + fnv1a(key, 0x9747b28c);
}

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OpenloopError(
      "usage",
      `built-in student: ${name} must be a whole number in ${min}..${max}, got ${value}`,
    );
  }
  return value;
}

function checkOptions(options: BuiltinStudentOptions): Required<BuiltinStudentOptions> {
  if (!(TASK_NAMES as readonly string[]).includes(options.task)) {
    throw new OpenloopError("usage", `unknown built-in task '${options.task}'`, {
      hint: `choose one of ${TASK_NAMES.join(", ")}`,
    });
  }
  if (!Number.isFinite(options.seed))
    throw new OpenloopError("usage", `built-in student: seed must be a number`);
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0 && temperature <= 5)) {
    throw new OpenloopError("usage", `built-in student: temperature must be in 0..5, got ${temperature}`);
  }
  const lr = options.lr ?? 0.03;
  if (!(lr > 0 && lr <= 1))
    throw new OpenloopError("usage", `built-in student: lr must be in (0, 1], got ${lr}`);
  return {
    task: options.task,
    seed: options.seed,
    temperature,
    lr,
    hidden: checkInt("hidden", options.hidden ?? 16, 1, 256),
    forms: checkInt("forms", options.forms ?? 1, 1, MAX_FORMS),
    pads: checkInt("pads", options.pads ?? 1, 1, 32),
    heldOut: checkInt("heldOut", options.heldOut ?? 200, 1, 100_000),
    warmup: checkInt("warmup", options.warmup ?? 10, 0, 10_000),
    batchSize: checkInt("batchSize", options.batchSize ?? 32, 1, 10_000_000),
    policyBatchSize: checkInt("policyBatchSize", options.policyBatchSize ?? 512, 1, 10_000_000),
  };
}

function warmUp(policy: Policy, set: PromptSet, o: Required<BuiltinStudentOptions>, rng: Rng): void {
  for (let i = 0; i < o.warmup; i++) {
    const batch: Example[] = Array.from({ length: 32 }, () => {
      const prompt = set.train[rng.int(set.train.length)];
      return { prompt, token: policy.token(prompt.gold, rng.int(o.forms)), pad: rng.int(o.pads), weight: 1 };
    });
    policy.step(batch);
  }
}

/**
 * Creates the built-in student on `options.task`. Deterministic: the same options and the same
 * calls give the same samples, training and evaluations.
 * @example const student = createBuiltinStudent({ task: "add", seed: 7 });
 */
export function createBuiltinStudent(options: BuiltinStudentOptions): BuiltinStudent {
  const o = checkOptions(options);
  const task = taskFamily(o.task);
  const rng = createRng(o.seed);
  const set = createPromptSet(task, o.heldOut, rng.fork());
  const policy = new Policy(
    {
      featureDim: task.featureDim,
      hidden: o.hidden,
      classes: task.classes,
      forms: o.forms,
      pads: o.pads,
      lr: o.lr,
    },
    rng.fork(),
  );
  warmUp(policy, set, o, rng.fork());
  const trainRng = rng.fork();
  const space = { classes: task.classes, forms: o.forms, pads: o.pads };

  const sample = (prompt: Prompt, n: number, seed: number, temperature: number): Sample[] =>
    policy.sample(
      [prompt],
      n,
      Math.max(temperature, MIN_TEMPERATURE),
      createRng(requestSeed(seed, prompt.id)),
    );

  const generator: Generator = {
    id: `builtin ${o.task} (seed ${o.seed}, temperature ${o.temperature})`,
    async generate(request: GenerationRequest): Promise<Candidate[]> {
      const prompt = findPrompt(set, request.messages);
      if (typeof prompt === "string") {
        return Array.from({ length: request.n }, (_, index) => ({ index, error: prompt }));
      }
      return sample(prompt, request.n, request.seed, o.temperature).map((s, index) => ({
        index,
        text: s.response,
        finishReason: "stop",
      }));
    },
  };

  return {
    task: o.task,
    generator,
    prompts: (count, iteration) =>
      drawPrompts(set, checkInt("prompt count", count, 1, 10_000_000), iteration),
    trainingPrompts: () => set.train.map(toBuiltinPrompt),
    findPrompt: (messages) => findPrompt(set, messages),
    sample,
    train(examples) {
      const usable: Example[] = [];
      for (const e of examples) {
        const prompt = set.byId.get(e.promptId);
        if (prompt === undefined) {
          throw new OpenloopError(
            "input",
            `train: unknown prompt id '${e.promptId}' for built-in task '${o.task}'`,
          );
        }
        if (!Number.isFinite(e.weight)) {
          throw new OpenloopError(
            "input",
            `train: weight of a response to '${e.promptId}' is not a finite number`,
          );
        }
        const tokens = decodeResponse(e.response, space);
        if (tokens !== null) {
          usable.push({
            prompt,
            token: policy.token(tokens.value, tokens.form),
            pad: tokens.pad,
            weight: e.weight,
          });
        }
      }
      for (let i = usable.length - 1; i > 0; i--) {
        const j = trainRng.int(i + 1);
        [usable[i], usable[j]] = [usable[j], usable[i]];
      }
      const size = usable.some((e) => e.weight < 0) ? o.policyBatchSize : o.batchSize;
      let steps = 0;
      let loss = 0;
      for (let at = 0; at < usable.length; at += size) {
        loss += policy.step(usable.slice(at, at + size));
        steps += 1;
      }
      return {
        steps,
        used: usable.length,
        skipped: examples.length - usable.length,
        loss: steps > 0 ? loss / steps : 0,
      };
    },
    evaluate() {
      return { ...policy.evaluate(set.heldOut, o.pads > 1), prompts: set.heldOut.length };
    },
  };
}
