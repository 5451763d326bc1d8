/**
 * The generation-training loop of the lab, run on the built-in student: each iteration draws
 * prompts, samples responses (or takes references), lets a signal judge them, trains, and
 * measures the held-out student and the information the signal carried. One loop, several
 * methods: self-training (no signal), SFT on references, RFT (SFT on accepted samples), RLVR
 * (policy gradient with group-normalised advantages, as in GRPO) and a drifting judge (a copy of
 * the student that accepts what the student itself would answer).
 */
import {
  binaryEntropy,
  conditionalEntropy,
  conditionalMutualInformation,
  createRng,
  entropyFromCounts,
  informationPermutationTest,
  type Rng,
} from "../info/index.js";
import type { RolloutRecord } from "../records/index.js";
import { render } from "./forms.js";
import { type Evaluation, type Example, Policy, type Sample } from "./policy.js";
import { type Prompt, splitPrompts, type TaskName, taskFamily } from "./tasks.js";

/** How the signal enters training. */
export type Method = "self" | "sft" | "rft" | "rlvr" | "judge";
/**
 * The reward of RLVR: the verifier's verdict; the verdict plus a bonus for length (a reward that
 * also pays for a surface feature); the same bonus computed on the mean length of the group, so
 * that inside every answer class a response's reward no longer depends on its own length
 * (length decorrelated from the reward); or a fair coin, independent of the task.
 */
export type RewardKind = "verdict" | "length" | "length-decorrelated" | "random";

/** Everything a loop needs; experiments fill it from their params. */
export interface LoopOptions {
  task: TaskName;
  method: Method;
  reward: RewardKind;
  /** Weight of the length bonus of the `length` rewards (a full-length response earns this much). */
  lengthWeight: number;
  forms: number;
  pads: number;
  hidden: number;
  lr: number;
  temperature: number;
  iterations: number;
  /** Prompts per iteration. */
  batch: number;
  /** Samples (or references) per prompt. */
  group: number;
  heldOut: number;
  /** SFT steps (32 references each) before the loop, so the student starts with partial knowledge. */
  warmup: number;
  /** Fresh prompts every iteration, or a fixed pool of `pool` prompts drawn again and again. */
  prompts: "fresh" | "repeated";
  pool: number;
  /** Padding length of SFT references: random (uniform) or always zero. */
  referencePad: "random" | "zero";
  /** Measure the padding terms of the held-out student (response entropy, mean padding). */
  paddingStats: boolean;
  /** Keep every rollout record (for `--out`). */
  keepRecords: boolean;
}

/** One row of a loop's series: the held-out student after the iteration and what its signal carried. */
export interface LoopRow extends Evaluation {
  iteration: number;
  /** Samples (or references) the learner has consumed so far, warm-up excluded. */
  samples: number;
  /** Mean reward (or acceptance) of this iteration's samples. */
  train_reward: number;
  /** Share of this iteration's samples the task verifier accepts. */
  pass_rate: number;
  /** H(S|Q): bits the signal carries per sample, mean over prompts of the entropy of its values. */
  signal_bits: number;
  /** I(S;C|Q,S_hat): bits about correctness C the student could not predict (S_hat: its own guess). */
  new_bits: number;
  /** I(S;F|[Y],Q): bits the signal carries about the length F inside an answer class. */
  length_channel_bits: number;
  /** Verifier bits per sample in (prompt, class) blocks never seen before: h(p_q) on new blocks. */
  fresh_bits: number;
}

/** A loop's result: the series (row 0 is the student before the loop), run-level summaries and records. */
export interface LoopResult {
  rows: LoopRow[];
  /** Run-level: surface bits of references and of the signal, and the pooled test of new bits. */
  summary: {
    reference_surface_bits: number;
    signal_surface_bits: number;
    /**
     * I(S;C|Q,S_hat) pooled over the run (plug-in) minus its mean under within-stratum
     * permutations of S: the bias-corrected bits about correctness the student could not predict.
     */
    new_bits_excess: number;
    /** The permutation test's p-value for I(S;C|Q,S_hat) > 0 (199 permutations). */
    new_bits_p: number;
  };
  records: RolloutRecord[];
}

interface Judged {
  sample: Sample;
  reward: number;
  verdict: boolean;
  accepted: boolean;
  guess: boolean;
}

function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function groupRewards(group: Sample[], options: LoopOptions, rng: Rng): number[] {
  const top = Math.max(1, options.pads - 1);
  const meanPad = group.reduce((a, s) => a + s.pad, 0) / group.length;
  return group.map((s) => {
    const verdict = s.value === s.prompt.gold ? 1 : 0;
    if (options.reward === "random") return rng.next() < 0.5 ? 1 : 0;
    if (options.reward === "length") return verdict + (options.lengthWeight * s.pad) / top;
    if (options.reward === "length-decorrelated") return verdict + (options.lengthWeight * meanPad) / top;
    return verdict;
  });
}

function advantages(rewards: number[]): number[] {
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  const sd = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / rewards.length);
  return rewards.map((r) => (sd > 1e-9 ? (r - mean) / sd : 0));
}

function references(
  prompts: readonly Prompt[],
  per: number,
  policy: Policy,
  options: LoopOptions,
  rng: Rng,
): Sample[] {
  return prompts.flatMap((prompt) =>
    Array.from({ length: per }, () => {
      const form = rng.int(options.forms);
      const pad = options.referencePad === "random" ? rng.int(options.pads) : 0;
      const value = prompt.gold;
      return {
        prompt,
        token: policy.token(value, form),
        value,
        form,
        pad,
        response: render(value, form, pad),
      };
    }),
  );
}

function codesOf(values: readonly (string | number)[]): Int32Array {
  const map = new Map<string | number, number>();
  return Int32Array.from(values, (v) => {
    let c = map.get(v);
    if (c === undefined) {
      c = map.size;
      map.set(v, c);
    }
    return c;
  });
}

/** Mean over groups (one per prompt) of the plug-in entropy of the signal values, bits. */
function signalBits(groups: Judged[][]): number {
  if (groups.length === 0) return 0;
  let total = 0;
  for (const g of groups) {
    const counts = new Map<number, number>();
    for (const j of g) counts.set(j.reward, (counts.get(j.reward) ?? 0) + 1);
    total +=
      counts.size === 2 && g.every((j) => j.reward === 0 || j.reward === 1)
        ? binaryEntropy((counts.get(1) ?? 0) / g.length)
        : entropyFromCounts([...counts.values()]);
  }
  return total / groups.length;
}

/**
 * Runs one loop from `seed` and returns its series. Deterministic: the same options and seed
 * give the same result.
 */
export function runLoop(options: LoopOptions, seed: number): LoopResult {
  const rng = createRng(seed);
  const task = taskFamily(options.task);
  const split = splitPrompts(task, options.heldOut, rng.fork());
  const policyRng = rng.fork();
  const sampleRng = rng.fork();
  const policy = new Policy(
    {
      featureDim: task.featureDim,
      hidden: options.hidden,
      classes: task.classes,
      forms: options.forms,
      pads: options.pads,
      lr: options.lr,
    },
    policyRng,
  );
  for (let i = 0; i < options.warmup; i++) {
    const batch = Array.from({ length: 32 }, () => split.train[sampleRng.int(split.train.length)]);
    policy.step(
      batch.map((p) => ({
        prompt: p,
        token: policy.token(p.gold, sampleRng.int(options.forms)),
        pad: sampleRng.int(options.pads),
        weight: 1,
      })),
    );
  }
  const pool = shuffleInPlace(split.train.slice(), sampleRng.fork()).slice(0, options.pool);
  const freshOrder = shuffleInPlace(split.train.slice(), sampleRng.fork());
  let freshAt = 0;
  const seen = new Set<string>();
  const rows: LoopRow[] = [];
  const records: RolloutRecord[] = [];
  const surface = {
    refForm: [] as number[],
    refClass: [] as number[],
    sig: [] as number[],
    sigForm: [] as number[],
    sigBlock: [] as string[],
    verdict: [] as number[],
    guess: [] as string[],
  };
  const empty = {
    train_reward: 0,
    pass_rate: 0,
    signal_bits: 0,
    new_bits: 0,
    length_channel_bits: 0,
    fresh_bits: 0,
  };
  rows.push({ iteration: 0, samples: 0, ...policy.evaluate(split.heldOut, options.paddingStats), ...empty });
  let consumed = 0;
  for (let it = 1; it <= options.iterations; it++) {
    const prompts = Array.from({ length: options.batch }, () => {
      if (options.prompts === "repeated") return pool[sampleRng.int(pool.length)];
      const p = freshOrder[freshAt % freshOrder.length];
      freshAt += 1;
      return p;
    });
    const guesses = policy.classProbabilities(prompts).map((probs) => probs.indexOf(Math.max(...probs)));
    const samples =
      options.method === "sft"
        ? references(prompts, options.group, policy, options, sampleRng)
        : policy.sample(prompts, options.group, options.temperature, sampleRng);
    const judge = options.method === "judge" ? policy.snapshot(createRng(seed + it)) : null;
    const judgeGuess = judge?.classProbabilities(prompts).map((probs) => probs.indexOf(Math.max(...probs)));
    const groups: Judged[][] = prompts.map((_, q) => {
      const group = samples.slice(q * options.group, (q + 1) * options.group);
      const rewards =
        options.method === "judge"
          ? group.map((s) => (s.value === judgeGuess![q] ? 1 : 0))
          : options.method === "rlvr" || options.method === "rft"
            ? groupRewards(group, options, sampleRng)
            : group.map(() => 1);
      return group.map((sample, i) => ({
        sample,
        reward: rewards[i],
        verdict: sample.value === sample.prompt.gold,
        accepted: options.method === "rft" || options.method === "judge" ? rewards[i] >= 1 : true,
        guess: sample.value === guesses[q],
      }));
    });
    const examples: Example[] = groups.flatMap((g) => {
      if (options.method === "rlvr") {
        const adv = advantages(g.map((j) => j.reward));
        return g.map((j, i) => ({
          prompt: j.sample.prompt,
          token: j.sample.token,
          pad: j.sample.pad,
          weight: adv[i],
        }));
      }
      return g
        .filter((j) => j.accepted)
        .map((j) => ({ prompt: j.sample.prompt, token: j.sample.token, pad: j.sample.pad, weight: 1 }));
    });
    policy.step(examples);
    consumed += samples.length;
    const all = groups.flat();
    const hasSignal = options.method !== "self" && options.method !== "sft";
    let freshBits = 0;
    for (const g of groups) {
      const h = binaryEntropy(g.filter((j) => j.verdict).length / g.length);
      for (const j of g) {
        const block = `${j.sample.prompt.id}|${j.sample.value}`;
        if (!seen.has(block)) {
          seen.add(block);
          freshBits += h;
        }
      }
    }
    const stratum = codesOf(all.map((j) => `${j.sample.prompt.id}|${j.guess}`));
    const blocks = codesOf(all.map((j) => `${j.sample.prompt.id}|${j.sample.value}`));
    const sig = codesOf(all.map((j) => Math.round(j.reward * 4)));
    rows.push({
      iteration: it,
      samples: consumed,
      ...policy.evaluate(split.heldOut, options.paddingStats),
      train_reward: all.reduce((a, j) => a + j.reward, 0) / all.length,
      pass_rate: all.filter((j) => j.verdict).length / all.length,
      signal_bits: hasSignal ? signalBits(groups) : 0,
      new_bits: hasSignal
        ? conditionalMutualInformation([sig], [codesOf(all.map((j) => Number(j.verdict)))], [stratum], {
            estimator: "miller-madow",
          })
        : 0,
      length_channel_bits: hasSignal
        ? conditionalMutualInformation([sig], [codesOf(all.map((j) => j.sample.pad))], [blocks])
        : 0,
      fresh_bits: hasSignal ? freshBits / all.length : 0,
    });
    for (const j of all) {
      if (options.method === "sft") {
        surface.refForm.push(j.sample.form);
        surface.refClass.push(j.sample.value);
      } else if (hasSignal) {
        surface.sig.push(j.reward);
        surface.sigForm.push(j.sample.form);
        surface.sigBlock.push(`${j.sample.prompt.id}|${j.sample.value}`);
        surface.verdict.push(Number(j.verdict));
        surface.guess.push(`${it}|${j.sample.prompt.id}|${j.guess}`);
      }
      if (options.keepRecords) records.push(toRecord(it, j, options));
    }
  }
  const test =
    surface.sig.length > 0
      ? informationPermutationTest(
          [codesOf(surface.sig.map((v) => Math.round(v * 4)))],
          [codesOf(surface.verdict)],
          [codesOf(surface.guess)],
          { permutations: 199, rng: createRng(seed + 0x5eed) },
        )
      : { observed: 0, nullMean: 0, pValue: 1 };
  return {
    rows,
    summary: {
      new_bits_excess: test.observed - test.nullMean,
      new_bits_p: test.pValue,
      reference_surface_bits:
        surface.refForm.length > 0
          ? conditionalEntropy([codesOf(surface.refForm)], [codesOf(surface.refClass)], {
              estimator: "miller-madow",
            })
          : 0,
      signal_surface_bits:
        surface.sig.length > 0
          ? conditionalMutualInformation(
              [codesOf(surface.sig)],
              [codesOf(surface.sigForm)],
              [codesOf(surface.sigBlock)],
            )
          : 0,
    },
    records,
  };
}

function toRecord(iteration: number, j: Judged, options: LoopOptions): RolloutRecord {
  const name =
    options.method === "sft"
      ? "reference"
      : options.method === "self"
        ? "selected"
        : options.method === "judge"
          ? "judge"
          : options.method === "rft"
            ? "verdict"
            : "reward";
  return {
    iteration,
    prompt_id: j.sample.prompt.id,
    prompt: j.sample.prompt.text,
    response: j.sample.response,
    signals: { [name]: j.reward },
    class: String(j.sample.value),
    gold: j.verdict,
    features: { length: j.sample.pad, form: j.sample.form },
    accepted: j.accepted,
  };
}
