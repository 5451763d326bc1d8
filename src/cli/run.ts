/**
 * `openloop run SPEC`: executes a pipeline spec (generate -> verify -> select) against an
 * OpenAI-compatible endpoint or the built-in model, keeping the information ledger. A thin
 * adapter over `runPipeline` (src/run): audit verdict and progress on stderr, the ledger table
 * (or one JSON document) on stdout; Ctrl-C stops cleanly with exit code 130.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { UNITS, type Unit } from "../info/index.js";
import type { formatProgress, RunProgress } from "../run/index.js";
import { log, printJson, styles } from "./output.js";
import { choiceOption, intOption } from "./parse.js";

interface RunCliOptions {
  out?: string;
  resume?: boolean;
  json?: boolean;
  concurrency?: number;
  limitPrompts?: number;
  unit: Unit;
  cache: boolean;
}

const EXAMPLES = `
Outputs in DIR: records.jsonl (every candidate with every signal), dataset.jsonl (selected samples
as chat messages), pairs.jsonl (selection 'pairs'), ledger.json (per iteration: samples, accept
rate, bits each signal injected = sum over prompts of H(S|Q=q)), audit.json, journal.jsonl.

Examples:
  $ openloop run examples/pipelines/builtin-rft.yaml --out runs/rft
  $ openloop run my-loop.yaml --out runs/a --concurrency 32 --limit-prompts 50
  $ openloop run my-loop.yaml --out runs/a --resume        # after a crash or Ctrl-C
  $ openloop run my-loop.yaml --out runs/a --json > summary.json

Exit codes: 0 done, 2 bad spec, missing API key variable, unreachable endpoint or I/O error,
130 interrupted (resume with --resume).`;

/** A throttled progress line on stderr (only on a terminal). */
function progressDrawer(
  unitName: string,
  format: typeof formatProgress,
): { draw: (p: RunProgress) => void; clear: () => void } {
  if (!process.stderr.isTTY) return { draw: () => {}, clear: () => {} };
  let last = 0;
  let shown = false;
  return {
    draw(p) {
      const now = Date.now();
      if (now - last < 100 && p.unitsDone < p.unitsTotal) return;
      last = now;
      shown = true;
      process.stderr.write(`\r${format(p, (process.stderr.columns || 100) - 1, unitName)}\u001b[K`);
    },
    clear() {
      if (shown) process.stderr.write("\r\u001b[K");
    },
  };
}

async function run(specFile: string, options: RunCliOptions): Promise<void> {
  // loaded when the command runs, so that start-up stays cheap
  const { loadSpec } = await import("../spec/index.js");
  const { renderAuditText } = await import("../audit/index.js");
  const { formatProgress, renderLedgerText, runPipeline } = await import("../run/index.js");
  const outDir = options.out ?? `runs/${loadSpec(specFile).name}`;
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write(
      "\nopenloop: stopping: finishing the prompts in flight (Ctrl-C again to quit now)\n",
    );
  };
  process.on("SIGINT", onSigint);
  const progress = progressDrawer(options.unit, formatProgress);
  try {
    const result = await runPipeline({
      specFile,
      outDir,
      resume: options.resume,
      concurrency: options.concurrency,
      limitPrompts: options.limitPrompts,
      unit: options.unit,
      cache: options.cache,
      signal: controller.signal,
      onAudit: (report) => process.stderr.write(renderAuditText(report, styles(process.stderr), specFile)),
      onProgress: progress.draw,
      onLog: (message) => log(`openloop: ${message}`),
    });
    progress.clear();
    const resumeCommand = `openloop run ${specFile} --out ${outDir} --resume`;
    if (result.status === "interrupted") {
      log(`openloop: interrupted; every finished prompt is journaled in ${outDir}/journal.jsonl`);
      log(`openloop: resume with: ${resumeCommand}`);
      process.exitCode = 130;
    }
    const seconds = result.elapsedMs / 1000;
    if (options.json) {
      printJson({
        status: result.status,
        spec: specFile,
        out_dir: outDir,
        verdict: result.audit.verdict,
        files: result.files,
        resumed_units: result.resumedUnits,
        new_units: result.newUnits,
        new_samples: result.newSamples,
        elapsed_s: seconds,
        samples_per_second: seconds > 0 ? result.newSamples / seconds : null,
        ledger: result.ledger ?? null,
        resume: result.status === "interrupted" ? resumeCommand : null,
      });
    } else if (result.ledger !== undefined) {
      process.stdout.write(renderLedgerText(result.ledger));
    }
    if (!options.json) for (const file of result.files) log(`openloop: wrote ${file}`);
  } finally {
    progress.clear();
    process.off("SIGINT", onSigint);
  }
}

/** Registers `openloop run`. */
export function registerRun(program: Command): Command {
  return program
    .command("run")
    .description("run a pipeline spec: generate, verify, select, and keep the information ledger")
    .argument("<spec>", "a pipeline spec (YAML or JSON)")
    .option("--out <dir>", "output directory (default runs/<spec name>)")
    .option("--resume", "finish the run journaled in --out after a crash or Ctrl-C")
    .option("--json", "print one JSON summary document")
    .addOption(
      new Option(
        "--concurrency <n>",
        "prompts and requests in flight (default: the spec's, else 8)",
      ).argParser(intOption("--concurrency", 1, 1024)),
    )
    .addOption(
      new Option("--limit-prompts <n>", "at most N prompts per iteration").argParser(
        intOption("--limit-prompts", 1),
      ),
    )
    .addOption(
      new Option("--unit <unit>", "bits or nats").default("bits").argParser(choiceOption("--unit", UNITS)),
    )
    .option("--no-cache", "do not keep the endpoint's disk cache in DIR/cache")
    .addHelpText("after", EXAMPLES)
    .action((spec: string, options: RunCliOptions) => run(spec, options));
}
