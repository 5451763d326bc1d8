#!/usr/bin/env node
/** The `openloop` executable. */
import { runCli } from "./cli/run-cli.js";

await runCli(process.argv);
