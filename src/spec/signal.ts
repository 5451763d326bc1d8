/**
 * The schema of one signal of a pipeline spec: what an external source (or the student itself)
 * says about a response. A signal has a name, a kind, who computes it (`model`), a value range,
 * and optionally, for `openloop run`, the verifier configuration that computes it.
 */
import { z } from "zod";
import { verifierConfigSchema } from "./verifier-config.js";

/** The kinds of signal a pipeline can use. */
export const signalKinds = [
  "tests",
  "proof-checker",
  "answer-match",
  "format-check",
  "rubric-judge",
  "reward-model",
  "llm-judge",
  "majority-vote",
  "random",
  "human-label",
  "reference",
] as const;

/** One kind of signal. */
export type SignalKind = (typeof signalKinds)[number];

/**
 * Who computes a signal: a `fixed` source that does not change with the student (a program, a
 * frozen model, people), the `student` itself, or a model `trained-on-student` outputs.
 */
export const signalModels = ["fixed", "student", "trained-on-student"] as const;

/** Who computes a signal. */
export type SignalModel = (typeof signalModels)[number];

/** What a reward model was trained on. */
export const rewardTrainingSources = ["human-labels", "student-outputs"] as const;

/** The range of values a signal takes: this bounds the bits it can carry per sample. */
export const signalRangeSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("binary") }).describe("a pass/fail verdict (at most 1 bit per sample)"),
    z
      .strictObject({
        type: z.literal("scalar"),
        min: z.number().optional(),
        max: z.number().optional(),
        levels: z
          .number()
          .int()
          .min(2)
          .optional()
          .describe("number of distinct values (e.g. 10 for a 1-10 score); omit for a continuous score"),
      })
      .describe("a score"),
    z
      .strictObject({
        type: z.literal("class"),
        count: z.number().int().min(2).describe("number of classes"),
      })
      .describe("one of `count` behaviour classes (e.g. a final answer among `count`)"),
    z
      .strictObject({
        type: z.literal("reference"),
        forms: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe("M: acceptable surface forms per answer (default: task.acceptable_forms)"),
        classes: z.number().int().min(1).optional().describe("number of distinct answer classes, if known"),
      })
      .describe("a full reference answer (one of M acceptable forms)"),
  ])
  .describe("value range of the signal");

/** The range of a signal. */
export type SignalRange = z.infer<typeof signalRangeSchema>;

/** One signal as written in a spec (kind-dependent fields may be omitted; see `resolveSignal`). */
export const signalSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z_][\w.-]*$/, "must start with a letter or _ and contain only letters, digits, _ . -")
      .describe("the signal's name (the key under which `run` records its value)"),
    kind: z.enum(signalKinds).describe("what the signal is"),
    model: z
      .enum(signalModels)
      .optional()
      .describe("who computes it: fixed (does not change with the student), student, trained-on-student"),
    trained_on: z
      .enum(rewardTrainingSources)
      .optional()
      .describe("reward-model only: what it was trained on (human-labels, student-outputs)"),
    range: signalRangeSchema.optional(),
    grounded: z
      .boolean()
      .optional()
      .describe("whether the signal's reference carries task information (default by kind)"),
    surface: z
      .boolean()
      .optional()
      .describe("whether the signal may depend on surface form (default by kind)"),
    description: z.string().optional(),
    verifier: verifierConfigSchema.optional().describe("for `openloop run`: how the signal is computed"),
  })
  .describe("a signal: what a source says about a response");

/** One signal as written in a spec. */
export type SignalInput = z.infer<typeof signalSchema>;
