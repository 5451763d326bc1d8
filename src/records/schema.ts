/**
 * The zod schema of a rollout record as written. Loaded only when a record is validated
 * (`loadRolloutRecordSchema` in record.ts): zod takes ~50 ms to load, which reading records
 * (the CLI's start-up, each reader thread of `analyze`) need not pay.
 */
import { z } from "zod";

const recordValue = z.union([z.number().finite(), z.boolean(), z.string()]);

/** The zod schema of one rollout record (the native field names). */
export const RolloutRecordSchema = z
  .object({
    iteration: z.number().int().nonnegative().default(0),
    prompt_id: z.string().min(1),
    prompt: z.string().optional(),
    response: z.string().optional(),
    signals: z.record(z.string(), recordValue),
    class: z.string().optional(),
    gold: z.boolean().optional(),
    features: z.record(z.string(), recordValue).optional(),
    accepted: z.boolean().optional(),
    error: z.string().min(1).optional(),
  })
  .strict()
  .refine((record) => record.error !== undefined || Object.keys(record.signals).length > 0, {
    message: "at least one signal is required (unless the record has an 'error')",
    path: ["signals"],
  });
