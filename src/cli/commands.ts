/**
 * The list of subcommands. Each command module exports a `register` function that adds its
 * subcommand to the program and returns it; commands are thin adapters over library functions.
 */
import type { Command } from "commander";
import { registerAnalyze } from "./analyze.js";
import { registerAudit } from "./audit.js";
import { registerDecorrelate } from "./decorrelate.js";
import { registerDemo } from "./demo.js";
import { registerEstimate } from "./estimate.js";
import { registerLab } from "./lab.js";
import { registerRun } from "./run.js";
import { registerSchema } from "./schema.js";
import { registerServe } from "./serve.js";
import { registerVerify } from "./verify.js";

/** Adds one subcommand to `program` and returns the subcommand. */
export type RegisterCommand = (program: Command) => Command;

export const commands: RegisterCommand[] = [
  registerEstimate,
  registerAudit,
  registerSchema,
  registerAnalyze,
  registerDecorrelate,
  registerVerify,
  registerLab,
  registerServe,
  registerRun,
  registerDemo,
];
