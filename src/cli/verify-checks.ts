/**
 * `openloop verify schema|regex|contains|judge|command`: checks of a response (an argument,
 * stdin with '-', or every row of --file) built from command-line options.
 */
import type { Command } from "commander";
import { OpenloopError } from "../errors.js";
import type { VerifierConfig } from "../spec/index.js";
import { collect, numberOption } from "./parse.js";
import { readTextFile, type SourceOptions, verifySource } from "./verify-output.js";

/** Validates a configuration built from options; problems are usage errors naming the option. */
async function buildConfig(input: Record<string, unknown>): Promise<VerifierConfig> {
  // loaded when the command runs, so that start-up stays cheap
  const { verifierConfigSchema } = await import("../spec/index.js");
  const parsed = verifierConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new OpenloopError("usage", `${where}${issue.message}`);
}

function withSource(command: Command): Command {
  return command
    .option("--file <records>", "check every row of a JSONL/CSV/Parquet file")
    .option("--field <name>", "field (or --file column) holding the response", "response")
    .option("--json", "print one JSON document");
}

async function run(
  config: VerifierConfig,
  response: string | undefined,
  options: SourceOptions,
): Promise<void> {
  const ok = await verifySource(config, response, options);
  if (!ok) process.exitCode = 1;
}

/** Registers the response-check subcommands under `verify`. */
export function registerResponseChecks(verify: Command): void {
  withSource(
    verify
      .command("schema")
      .description("the response, parsed as JSON, must validate against a JSON Schema (ajv)")
      .argument("<schema>", "JSON Schema file")
      .argument("[response]", "the response ('-' reads stdin)"),
  )
    .addHelpText("after", '\nExamples:\n  $ openloop verify schema person.schema.json \'{"name": "Ada"}\'')
    .action(async (schema: string, response: string | undefined, options: SourceOptions) => {
      readTextFile(schema, "schema");
      await run(await buildConfig({ type: "schema", schema, field: options.field }), response, options);
    });

  withSource(
    verify
      .command("regex")
      .description("the response must match a regular expression")
      .argument("<pattern>", "JavaScript regular expression")
      .argument("[response]", "the response ('-' reads stdin)")
      .option("--flags <flags>", "regex flags among i, m, s, u, v", ""),
  )
    .addHelpText("after", "\nExamples:\n  $ openloop verify regex --flags i '^yes\\b' 'Yes, it is.'")
    .action(
      async (pattern: string, response: string | undefined, options: SourceOptions & { flags: string }) => {
        await run(
          await buildConfig({ type: "regex", pattern, flags: options.flags, field: options.field }),
          response,
          options,
        );
      },
    );

  withSource(
    verify
      .command("contains")
      .description("the response must contain all (or, with --any, one) of the values")
      .argument("[response]", "the response ('-' reads stdin)")
      .requiredOption("--value <text>", "a required substring (repeatable)", collect)
      .option("--any", "one value is enough")
      .option("--ignore-case", "compare case-insensitively"),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  $ openloop verify contains --value Paris --value France 'Paris is in France.'",
    )
    .action(
      async (
        response: string | undefined,
        options: SourceOptions & { value: string[]; any?: boolean; ignoreCase?: boolean },
      ) => {
        const config = await buildConfig({
          type: "contains",
          values: options.value,
          mode: options.any ? "any" : "all",
          case_insensitive: options.ignoreCase ?? false,
          field: options.field,
        });
        await run(config, response, options);
      },
    );

  withSource(
    verify
      .command("judge")
      .description("a fixed LLM judge over an OpenAI-compatible endpoint scores the response")
      .argument("[response]", "the response ('-' reads stdin)")
      .requiredOption("--base-url <url>", "endpoint base URL, e.g. http://127.0.0.1:8000/v1")
      .requiredOption("--model <name>", "the judge model (must be named)")
      .option("--rubric <text>", "the rubric")
      .option("--rubric-file <file>", "read the rubric from a file")
      .option("--api-key-env <var>", "environment variable holding the API key")
      .option("--threshold <score>", "pass when score >= threshold", numberOption("--threshold", 0, 1), 0.5)
      .option("--timeout <seconds>", "request timeout", numberOption("--timeout", 0.1, 3600), 60),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  $ openloop verify judge --base-url http://127.0.0.1:8000/v1 --model judge-7b --rubric 'Polite?' 'Thanks!'",
    )
    .action(
      async (
        response: string | undefined,
        options: SourceOptions & {
          baseUrl: string;
          model: string;
          rubric?: string;
          rubricFile?: string;
          apiKeyEnv?: string;
          threshold: number;
          timeout: number;
        },
      ) => {
        if ((options.rubric === undefined) === (options.rubricFile === undefined)) {
          throw new OpenloopError("usage", "give exactly one of --rubric and --rubric-file");
        }
        const rubric = options.rubric ?? readTextFile(options.rubricFile as string, "rubric");
        const config = await buildConfig({
          type: "judge",
          base_url: options.baseUrl,
          model: options.model,
          rubric,
          threshold: options.threshold,
          timeout_s: options.timeout,
          field: options.field,
          ...(options.apiKeyEnv !== undefined ? { api_key_env: options.apiKeyEnv } : {}),
        });
        await run(config, response, options);
      },
    );

  verify
    .command("command")
    .description("any program judges: it reads the record as JSON on stdin, answers by exit code or JSON")
    .argument("<argv...>", "the program and its arguments (after --)")
    .option("--file <records>", "check every row of a JSONL/CSV/Parquet file")
    .option("--response <text>", 'a single response, passed as {"response": TEXT}')
    .option("--timeout <seconds>", "time limit per record", numberOption("--timeout", 0.1, 3600), 30)
    .option("--json", "print one JSON document")
    .addHelpText(
      "after",
      '\nThe program answers {"pass": true, "score": 0.9} on stdout, or exits 0 (pass) / non-zero (fail).\n\n' +
        "Examples:\n  $ openloop verify command --file records.jsonl -- python3 check.py\n" +
        "  $ openloop verify command --response 'hello' -- ./is_greeting.sh",
    )
    .action(
      async (
        argv: string[],
        options: { file?: string; response?: string; timeout: number; json?: boolean },
      ) => {
        if ((options.file === undefined) === (options.response === undefined)) {
          throw new OpenloopError("usage", "give exactly one of --response and --file");
        }
        const config = await buildConfig({ type: "command", argv, timeout_s: options.timeout });
        await run(config, options.response, { file: options.file, json: options.json });
      },
    );
}
