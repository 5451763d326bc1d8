/**
 * The pipeline spec schema (contract version 1): one zod schema for a generation-training loop:
 * the task, the prompt source, the generator, the signals, how signals enter the training data,
 * how real data is mixed, and the number of iterations. `openloop schema` prints it as JSON Schema.
 */
import { z } from "zod";
import { signalSchema } from "./signal.js";

/** An OpenAI-compatible endpoint (used by `openloop run`). */
export const endpointSchema = z
  .strictObject({
    base_url: z.url().describe("OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1"),
    model: z.string().min(1).describe("model name sent to the endpoint"),
    api_key_env: z.string().min(1).optional().describe("environment variable holding the API key"),
    temperature: z.number().min(0).max(5).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().min(1).optional(),
    n: z.number().int().min(1).optional().describe("choices per request (the API's n)"),
    seed: z.number().int().optional(),
    concurrency: z.number().int().min(1).max(1024).optional().describe("requests in flight"),
    timeout_s: z.number().positive().max(86_400).optional().describe("per-request limit in seconds"),
  })
  .describe("an OpenAI-compatible chat-completions endpoint");

/** The built-in model on a built-in task (used by `openloop run`, no network). */
export const builtinModelSchema = z
  .strictObject({
    task: z.string().min(1).describe("built-in task name"),
    temperature: z.number().min(0).max(5).optional(),
    seed: z.number().int().optional(),
  })
  .describe("the built-in model on a built-in task");

/** What the loop is about: the task X. */
export const taskSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    acceptable_forms: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("M: how many surface forms of a correct answer are equally acceptable"),
    builtin: z.string().min(1).optional().describe("for `run`: a built-in task"),
  })
  .describe("the task X");

/** Where the prompts of each iteration come from. */
export const promptsSchema = z
  .strictObject({
    source: z
      .enum(["fixed", "procedural"])
      .describe("fixed: one prompt set reused every iteration; procedural: fresh prompts every iteration"),
    origin: z
      .enum(["real", "human", "student", "teacher"])
      .describe("who writes the prompts: real data, humans, the student, a teacher model"),
    count: z.number().int().min(1).optional().describe("prompts per iteration"),
    path: z.string().min(1).optional().describe("for `run`: a prompt file (JSONL/CSV/Parquet)"),
    builtin: z.string().min(1).optional().describe("for `run`: a built-in task's prompt generator"),
  })
  .describe("the prompt source");

/** Who generates the responses: the student, or a fixed teacher (distillation). */
export const generatorSchema = z
  .strictObject({
    role: z.enum(["student", "teacher"]).describe("the student, or a fixed teacher model"),
    samples_per_prompt: z.number().int().min(1).default(1).describe("responses sampled per prompt"),
    endpoint: endpointSchema.optional(),
    builtin: builtinModelSchema.optional(),
  })
  .describe("the response generator");

/** How signals enter the training data. */
export const selectionModes = ["filter", "reward", "pairs", "reference", "none"] as const;

/** How the selected data of an iteration is built from responses and signals. */
export const selectionSchema = z
  .strictObject({
    mode: z
      .enum(selectionModes)
      .describe(
        "filter: keep accepted responses (RFT, rejection sampling); reward: reward-weighted (RLVR, PPO, GRPO); " +
          "pairs: preference pairs (DPO); reference: train on reference answers (SFT); none: pure self-training",
      ),
    signals: z
      .array(z.string().min(1))
      .optional()
      .describe("the signals selection uses (default: all signals)"),
    threshold: z.number().optional().describe("filter: accept when the signal is >= threshold"),
  })
  .describe("how signals enter the training data");

/** How real data is mixed into the training data. */
export const realDataModes = ["none", "once", "replace", "accumulate", "fraction"] as const;

/** Real data mixing. */
export const realDataSchema = z
  .strictObject({
    mode: z
      .enum(realDataModes)
      .describe(
        "none; once: only in the first training set; replace: each iteration's real batch replaces the last; " +
          "accumulate: real data kept and accumulated; fraction: a fixed fraction of every training set",
      ),
    fraction: z.number().gt(0).lt(1).optional().describe("mode fraction: share of real data"),
    fresh: z
      .boolean()
      .default(false)
      .describe("true: new real samples every iteration; false: the same real dataset is reused"),
    count: z.number().int().min(1).optional().describe("real samples per iteration (or in the dataset)"),
    path: z.string().min(1).optional().describe("for `run`: the real data file"),
  })
  .describe("real data mixing");

const citationSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** The raw pipeline spec schema, before cross-field checks. */
const pipelineObjectSchema = z
  .strictObject({
    version: z.literal(1).describe("spec format version"),
    name: z.string().min(1),
    description: z.string().optional(),
    citation: citationSchema.optional().describe("the paper(s) the pipeline comes from"),
    seed: z.number().int().optional().describe("seed for every random choice of `run`"),
    iterations: z.number().int().min(1).describe("number of generation-training iterations"),
    task: taskSchema,
    prompts: promptsSchema,
    generator: generatorSchema,
    signals: z.array(signalSchema).default([]),
    selection: selectionSchema,
    real_data: realDataSchema.default({ mode: "none", fresh: false }),
  })
  .describe("an openloop pipeline spec: one generation-training loop");

/** The pipeline spec schema with its cross-field rules (names, references, mode requirements). */
export const pipelineSpecSchema = pipelineObjectSchema.superRefine((spec, ctx) => {
  const names = new Set<string>();
  spec.signals.forEach((signal, i) => {
    if (names.has(signal.name))
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "name"],
        message: `duplicate signal name '${signal.name}'`,
      });
    names.add(signal.name);
    if (signal.kind === "random" && signal.model !== undefined && signal.model !== "fixed")
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "model"],
        message: "a random reward is computed by no model: model must be 'fixed' or omitted",
      });
    if (signal.kind === "random" && signal.grounded === true)
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "grounded"],
        message: "a random reward depends only on its own noise: it cannot be grounded",
      });
    if (signal.trained_on !== undefined && signal.kind !== "reward-model")
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "trained_on"],
        message: "trained_on applies to kind 'reward-model' only",
      });
    if (signal.kind === "reward-model" && signal.trained_on === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "trained_on"],
        message: "a reward model needs trained_on: 'human-labels' | 'student-outputs'",
      });
    if (signal.kind === "reward-model" && signal.trained_on === "student-outputs" && signal.model === "fixed")
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "model"],
        message:
          "a reward model trained on the student's outputs drifts with the student: model must be 'trained-on-student'",
      });
    const isReferenceRange = signal.range?.type === "reference";
    if (isReferenceRange !== (signal.kind === "reference") && signal.range !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["signals", i, "range", "type"],
        message: "range 'reference' goes with kind 'reference' (and only with it)",
      });
  });
  const used = spec.selection.signals;
  used?.forEach((name, i) => {
    if (!names.has(name))
      ctx.addIssue({
        code: "custom",
        path: ["selection", "signals", i],
        message: `no signal named '${name}' (signals: ${[...names].join(", ") || "none"})`,
      });
  });
  const mode = spec.selection.mode;
  const usedCount = used === undefined ? spec.signals.length : used.length;
  if ((mode === "filter" || mode === "reward" || mode === "pairs") && usedCount === 0)
    ctx.addIssue({
      code: "custom",
      path: ["selection", "mode"],
      message: `selection mode '${mode}' needs at least one signal`,
    });
  if (mode === "none" && used !== undefined && used.length > 0)
    ctx.addIssue({
      code: "custom",
      path: ["selection", "signals"],
      message: "selection mode 'none' uses no signal: remove selection.signals or choose another mode",
    });
  if (spec.real_data.mode === "fraction" && spec.real_data.fraction === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["real_data", "fraction"],
      message: "real_data mode 'fraction' needs fraction (between 0 and 1)",
    });
  if (spec.real_data.mode !== "fraction" && spec.real_data.fraction !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["real_data", "fraction"],
      message: "fraction applies to real_data mode 'fraction' only",
    });
  if (spec.generator.endpoint !== undefined && spec.generator.builtin !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["generator", "builtin"],
      message: "give either generator.endpoint or generator.builtin, not both",
    });
});

/** A spec as written (fields with defaults may be omitted). */
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;
/** A validated spec (defaults applied; signals not yet resolved). */
export type ParsedSpec = z.output<typeof pipelineSpecSchema>;
/** The endpoint configuration. */
export type Endpoint = z.infer<typeof endpointSchema>;
/** The built-in model configuration. */
export type BuiltinModel = z.infer<typeof builtinModelSchema>;
/** The prompt source. */
export type Prompts = z.infer<typeof promptsSchema>;
/** The generator. */
export type Generator = z.infer<typeof generatorSchema>;
/** The selection. */
export type Selection = z.infer<typeof selectionSchema>;
/** How signals enter the training data. */
export type SelectionMode = (typeof selectionModes)[number];
/** Real data mixing. */
export type RealData = z.infer<typeof realDataSchema>;
/** Real data mixing mode. */
export type RealDataMode = (typeof realDataModes)[number];
/** The task. */
export type Task = z.infer<typeof taskSchema>;
