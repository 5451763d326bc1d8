/**
 * Shared options of `analyze` and `decorrelate`: how rows become rollout records (`--preset`,
 * `--map`, `--class-from`, `--skip-bad`), validated before any file is read.
 */
import type { Command } from "commander";
import type { RecordSource } from "../records/index.js";
import { collect } from "./parse.js";

/** The raw record-source options as commander parses them. */
export interface SourceOptions {
  map?: string[];
  preset?: string;
  classFrom?: string;
  skipBad?: boolean;
}

/** Adds the record-source options to a command. */
export function addSourceOptions(command: Command): Command {
  return command
    .option("--preset <name>", "read a trainer's log format: trl-grpo, verl")
    .option("--map <target=source>", "map a field of the log onto a record field (repeatable)", collect, [])
    .option(
      "--class-from <field:canon>",
      "derive the class: response:last-number, response:boxed, response:exact, response:trimmed-lower",
    )
    .option("--skip-bad", "skip malformed rows (counted and reported) instead of stopping");
}

/**
 * Turns the options into a record source (usage errors for unknown presets, map targets,
 * canonicalisers). The records module is loaded here, when a command runs, not at start-up.
 */
export async function recordSource(options: SourceOptions): Promise<RecordSource> {
  const { findPreset, parseClassFrom, parseFieldMap } = await import("../records/index.js");
  return {
    preset: options.preset === undefined ? undefined : findPreset(options.preset),
    map: parseFieldMap(options.map ?? []),
    classFrom: options.classFrom === undefined ? undefined : parseClassFrom(options.classFrom),
    skipBad: options.skipBad === true,
  };
}
