/**
 * `openloop serve`: puts the built-in model behind an OpenAI-compatible API on loopback, prints
 * its URL on stderr and serves until SIGINT or SIGTERM.
 */
import type { Command } from "commander";
// The one import past a folder's index: the task names are needed to define --task, and
// lab/index.js loads the whole lab (experiments, audit, spec, records), which every start-up of
// the CLI would then pay for. lab/tasks.js is a leaf module (tasks and their verifiers).
import { TASK_NAMES, type TaskName } from "../lab/tasks.js";
import { log } from "./output.js";
import { choiceOption, intOption, numberOption } from "./parse.js";

interface ServeCliOptions {
  port: number;
  host: string;
  task: TaskName;
  seed: number;
  temperature: number;
  forms: number;
  pads: number;
}

const EXAMPLES = `
Examples:
  $ openloop serve                                  # task add on http://127.0.0.1:8000/v1
  $ openloop serve --port 0 --task count --seed 7   # a free port, printed on stderr
  $ curl -s http://127.0.0.1:8000/v1/models
  $ curl -s http://127.0.0.1:8000/v1/chat/completions -H 'content-type: application/json' \\
      -d '{"model": "openloop-builtin-add", "n": 4, "seed": 1,
           "messages": [{"role": "user", "content": "What is 3 + 4?"}]}'

The model answers its task's prompts only (e.g. 'What is 3 + 4?' for add, 'How many 1s are in
0110010111?' for count); honours n, temperature, seed and max_tokens. See docs/serve.md.`;

async function serve(options: ServeCliOptions): Promise<void> {
  // loaded when the command runs, so that start-up stays cheap
  const { startServer } = await import("../run/index.js");
  const server = await startServer(options);
  // Listen for the signals before printing the URL: whoever reads the URL may signal at once.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(options.host);
  if (!loopback) {
    log(
      `openloop serve: warning: listening on ${options.host}, not loopback; anyone who can reach it may use it`,
    );
  }
  log(
    `openloop serve: built-in model '${server.model}' (task ${options.task}, seed ${options.seed}) at ${server.baseUrl}`,
  );
  log(`openloop serve: try 'curl ${server.baseUrl}/models'; stop with Ctrl-C`);
  const signal = await stopped;
  await server.close();
  log(`openloop serve: stopped (${signal})`);
}

/** Registers `openloop serve`. */
export function registerServe(program: Command): Command {
  return program
    .command("serve")
    .description(
      "serve the built-in model over an OpenAI-compatible HTTP API on loopback (no GPU, no network)",
    )
    .option("--port <n>", "port to listen on (0: a free port, printed)", intOption("--port", 0, 65535), 8000)
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option(
      "--task <name>",
      `built-in task (${TASK_NAMES.join(", ")})`,
      choiceOption("--task", TASK_NAMES),
      "add",
    )
    .option("--seed <n>", "seed of the model and of requests without a seed", intOption("--seed"), 0)
    .option(
      "--temperature <t>",
      "temperature of requests without one",
      numberOption("--temperature", 0, 5),
      1,
    )
    .option("--forms <m>", "surface forms the model writes answers in (1-16)", intOption("--forms", 1, 16), 1)
    .option("--pads <p>", "padding lengths 0..p-1 the model may append", intOption("--pads", 1, 32), 1)
    .addHelpText("after", EXAMPLES)
    .action(serve);
}
