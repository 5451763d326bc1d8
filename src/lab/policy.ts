/**
 * The lab's student: a small autoregressive policy with parameters shared across prompts, so
 * what it learns on some prompts transfers to others. From the prompt's features a tanh hidden
 * layer h and a linear path from the features produce the first token, the answer written in one of M surface forms (M x K tokens:
 * token = form * K + value); the second token, the padding length, is drawn from h and an
 * embedding of the first token. It samples with a temperature, takes weighted cross-entropy
 * steps (SFT when the weights are 1, a policy-gradient step when they are advantages), and
 * reports exact held-out quantities from its own probabilities.
 */
import { entropyFromCounts, type Rng } from "../info/index.js";
import { Adam } from "./adam.js";
import {
  add,
  backward,
  constant,
  matmul,
  rows,
  scale,
  softmaxCrossEntropy,
  Tensor,
  tanh,
} from "./autograd.js";
import { render } from "./forms.js";
import type { Prompt } from "./tasks.js";

/** The sizes and learning rate of a policy. */
export interface PolicyConfig {
  featureDim: number;
  hidden: number;
  classes: number;
  forms: number;
  pads: number;
  lr: number;
}

/** One sampled (or reference) response. */
export interface Sample {
  prompt: Prompt;
  token: number;
  value: number;
  form: number;
  pad: number;
  response: string;
}

/** A training example: which prompt, which two tokens, and the weight of its log-likelihood. */
export interface Example {
  prompt: Prompt;
  token: number;
  pad: number;
  weight: number;
}

/** Exact held-out quantities of a policy over a set of prompts (averages over prompts, bits). */
export interface Evaluation {
  /** Share of prompts whose most probable answer class is the gold one. */
  accuracy: number;
  /** Mean probability of the gold class (the accuracy of a sample at temperature 1). */
  expected_accuracy: number;
  /** Mean entropy of the answer-class distribution, bits. */
  class_entropy: number;
  /** Mean entropy of the whole response (form, value and padding), bits. */
  response_entropy: number;
  /** Mean entropy of the surface form given the answer class, bits. */
  form_entropy: number;
  /** Mean probability outside the most probable class. */
  tail_mass: number;
  /** Mean expected padding length. */
  mean_pad: number;
}

function normal(shape: number[], sd: number, rng: Rng): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    Float64Array.from({ length: n }, () => rng.normal() * sd),
    shape,
  );
}

function softmaxRow(
  logits: Float64Array,
  offset: number,
  width: number,
  temperature: number,
  out: Float64Array,
): void {
  let max = -Infinity;
  for (let j = 0; j < width; j++) max = Math.max(max, logits[offset + j]);
  let z = 0;
  for (let j = 0; j < width; j++) {
    out[j] = Math.exp((logits[offset + j] - max) / temperature);
    z += out[j];
  }
  for (let j = 0; j < width; j++) out[j] /= z;
}

function draw(probs: Float64Array, rng: Rng): number {
  let u = rng.next();
  for (let j = 0; j < probs.length - 1; j++) {
    u -= probs[j];
    if (u < 0) return j;
  }
  return probs.length - 1;
}

/** Entropy of a probability vector in bits (the plug-in estimator on probabilities is exact). */
function entropyBits(p: Float64Array): number {
  return entropyFromCounts(p);
}

/**
 * The student policy.
 * @example const pi = new Policy({ featureDim: 10, hidden: 16, classes: 11, forms: 4, pads: 4, lr: 0.03 }, rng);
 */
export class Policy {
  readonly config: PolicyConfig;
  readonly tokens: number;
  readonly params: Tensor[];
  private readonly opt: Adam;

  constructor(config: PolicyConfig, rng: Rng) {
    this.config = config;
    this.tokens = config.classes * config.forms;
    const { featureDim: d, hidden: h, pads: p } = config;
    this.params = [
      normal([d, h], 1 / Math.sqrt(d), rng),
      normal([h], 0.1, rng),
      normal([h, this.tokens], 0.01, rng),
      normal([this.tokens], 0.01, rng),
      normal([h, p], 0.01, rng),
      normal([this.tokens, p], 0.01, rng),
      normal([p], 0.01, rng),
      normal([d, this.tokens], 0.01, rng),
    ];
    this.opt = new Adam(this.params, { lr: config.lr });
  }

  /** An independent copy of the current parameters (a frozen snapshot, e.g. a judge). */
  snapshot(rng: Rng): Policy {
    const copy = new Policy(this.config, rng);
    copy.params.forEach((t, i) => {
      t.data.set(this.params[i].data);
    });
    return copy;
  }

  private features(prompts: readonly Prompt[]): Tensor {
    const d = this.config.featureDim;
    const x = new Float64Array(prompts.length * d);
    prompts.forEach((p, i) => {
      for (let j = 0; j < d; j++) x[i * d + j] = 2 * p.features[j] - 1;
    });
    return constant(x, [prompts.length, d]);
  }

  private hidden(prompts: readonly Prompt[]): { h: Tensor; answer: Tensor } {
    const [W1, b1, W2, b2, , , , V] = this.params;
    const x = this.features(prompts);
    const h = tanh(add(matmul(x, W1), b1));
    return { h, answer: add(add(matmul(h, W2), matmul(x, V)), b2) };
  }

  private padLogits(h: Tensor, tokens: Int32Array): Tensor {
    const [, , , , W3, E, b3] = this.params;
    return add(add(matmul(h, W3), rows(E, tokens)), b3);
  }

  /** Draws `perPrompt` responses for each prompt at `temperature`. */
  sample(prompts: readonly Prompt[], perPrompt: number, temperature: number, rng: Rng): Sample[] {
    const repeated = prompts.flatMap((p) => Array.from({ length: perPrompt }, () => p));
    const { h, answer } = this.hidden(repeated);
    const probs = new Float64Array(this.tokens);
    const tokens = Int32Array.from(repeated, (_, i) => {
      softmaxRow(answer.data, i * this.tokens, this.tokens, temperature, probs);
      return draw(probs, rng);
    });
    const pads = this.padLogits(h, tokens);
    const P = this.config.pads;
    const padProbs = new Float64Array(P);
    return repeated.map((prompt, i) => {
      softmaxRow(pads.data, i * P, P, temperature, padProbs);
      const pad = draw(padProbs, rng);
      const token = tokens[i];
      const value = token % this.config.classes;
      const form = Math.floor(token / this.config.classes);
      return { prompt, token, value, form, pad, response: render(value, form, pad) };
    });
  }

  /** The token of answer `value` written in surface form `form`. */
  token(value: number, form: number): number {
    return form * this.config.classes + value;
  }

  /**
   * One optimizer step on sum_i w_i * -log pi(token_i, pad_i | prompt_i) / n: SFT with unit
   * weights, policy gradient with advantages as weights. Returns the loss.
   */
  step(examples: readonly Example[]): number {
    if (examples.length === 0) return 0;
    const { h, answer } = this.hidden(examples.map((e) => e.prompt));
    const tokens = Int32Array.from(examples, (e) => e.token);
    const weights = Float64Array.from(examples, (e) => e.weight);
    const lossA = softmaxCrossEntropy(answer, tokens, weights);
    const lossP = softmaxCrossEntropy(
      this.padLogits(h, tokens),
      Int32Array.from(examples, (e) => e.pad),
      weights,
    );
    const loss = scale(add(lossA, lossP), 1 / examples.length);
    backward(loss);
    this.opt.step();
    return loss.data[0];
  }

  /** Probability of each answer class for each prompt (rows of length K), at temperature 1. */
  classProbabilities(prompts: readonly Prompt[]): Float64Array[] {
    const { answer } = this.hidden(prompts);
    const K = this.config.classes;
    const probs = new Float64Array(this.tokens);
    return prompts.map((_, i) => {
      softmaxRow(answer.data, i * this.tokens, this.tokens, 1, probs);
      const cls = new Float64Array(K);
      for (let t = 0; t < this.tokens; t++) cls[t % K] += probs[t];
      return cls;
    });
  }

  /**
   * Exact held-out quantities over `prompts` from the policy's own probabilities. Without
   * `padding` the costly padding terms (response entropy, mean padding) are skipped and NaN.
   */
  evaluate(prompts: readonly Prompt[], padding = true): Evaluation {
    const { h, answer } = this.hidden(prompts);
    const K = this.config.classes;
    const P = this.config.pads;
    const [, , , , W3, E, b3] = this.params;
    const base = add(matmul(h, W3), b3).data;
    const probs = new Float64Array(this.tokens);
    const padProbs = new Float64Array(P);
    const padLogit = new Float64Array(P);
    const total = {
      accuracy: 0,
      expected_accuracy: 0,
      class_entropy: 0,
      response_entropy: 0,
      form_entropy: 0,
      tail_mass: 0,
      mean_pad: 0,
    };
    prompts.forEach((prompt, i) => {
      softmaxRow(answer.data, i * this.tokens, this.tokens, 1, probs);
      const cls = new Float64Array(K);
      for (let t = 0; t < this.tokens; t++) cls[t % K] += probs[t];
      let best = 0;
      for (let k = 1; k < K; k++) if (cls[k] > cls[best]) best = k;
      total.accuracy += best === prompt.gold ? 1 : 0;
      total.expected_accuracy += cls[prompt.gold];
      const hClass = entropyBits(cls);
      const hToken = entropyBits(probs);
      total.class_entropy += hClass;
      total.form_entropy += hToken - hClass;
      total.tail_mass += 1 - cls[best];
      let hPad = padding ? 0 : Number.NaN;
      let meanPad = padding ? 0 : Number.NaN;
      for (let t = 0; padding && t < this.tokens; t++) {
        for (let j = 0; j < P; j++) padLogit[j] = base[i * P + j] + E.data[t * P + j];
        softmaxRow(padLogit, 0, P, 1, padProbs);
        hPad += probs[t] * entropyBits(padProbs);
        for (let j = 0; j < P; j++) meanPad += probs[t] * j * padProbs[j];
      }
      total.response_entropy += hToken + hPad;
      total.mean_pad += meanPad;
    });
    const n = prompts.length;
    return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / n])) as unknown as Evaluation;
  }
}
