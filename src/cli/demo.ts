/**
 * `openloop demo`: the whole loop on the built-in model, with no network and no set-up. It
 * audits the demo spec, runs it (several iterations, the student trained between them), analyses
 * the records and writes the HTML report, then prints where everything is. An adapter composing
 * `auditSpec`, `runPipeline`, `analyzeRecords` and `writeReports`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { OpenloopError } from "../errors.js";
import { log, printLine, styles } from "./output.js";

const DEMO_SPEC = fileURLToPath(new URL("../../examples/demo/rft-count.yaml", import.meta.url));

const EXAMPLES = `
Runs examples/demo/rft-count.yaml: rejection-sampling fine-tuning of the built-in student on the
built-in 'count' task, 6 iterations x 200 prompts x 8 samples, then analyses the records.

Examples:
  $ openloop demo
  $ openloop demo --out /tmp/demo
  $ npm start                     # builds, then runs openloop demo

Exit codes: 0 done, 2 the output directory exists and is not empty, or an I/O error.`;

/** A fresh directory: DIR as given (must be absent or empty), else openloop-demo, -2, -3, ... */
function freshDir(requested: string | undefined): string {
  const empty = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;
  if (requested !== undefined) {
    if (!empty(requested))
      throw new OpenloopError(
        "usage",
        `${requested} exists and is not empty: the demo does not overwrite files`,
        {
          where: { file: requested },
          hint: "give a new directory with --out, or omit --out for a fresh openloop-demo*/ folder",
        },
      );
    return requested;
  }
  for (let k = 1; ; k++) {
    const dir = k === 1 ? "openloop-demo" : `openloop-demo-${k}`;
    if (empty(dir)) return dir;
  }
}

async function demo(options: { out?: string }): Promise<void> {
  // loaded when the command runs, so that start-up stays cheap
  const { formatProgress, renderLedgerText, runPipeline } = await import("../run/index.js");
  const { analyzeRecords } = await import("../analyze/index.js");
  const { writeReports } = await import("../report/index.js");
  const started = Date.now();
  const dir = freshDir(options.out);
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, "spec.yaml");
  copyFileSync(DEMO_SPEC, spec);
  const s = styles(process.stderr);
  log(s.bold("openloop demo: audit -> run -> analyze -> report, on the built-in model (no network)"));
  log(`1/3 audit and run ${spec}`);
  let last = 0;
  const run = await runPipeline({
    specFile: spec,
    outDir: join(dir, "run"),
    onAudit: (report) =>
      log(
        `    audit: ${report.verdict === "open" ? s.green("OPEN") : s.red("CLOSED")} ` +
          `(${report.trail ? report.trail.join(" -> ") : "no trail from the task to the next student"})`,
      ),
    onProgress: (p) => {
      if (!process.stderr.isTTY || Date.now() - last < 100) return;
      last = Date.now();
      process.stderr.write(`\r    ${formatProgress(p, (process.stderr.columns || 100) - 5)}\u001b[K`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write("\r\u001b[K");
  if (run.ledger === undefined) throw new OpenloopError("internal", "the demo run did not complete");
  const records = join(dir, "run", "records.jsonl");
  log(`2/3 analyze ${records}`);
  const doc = await analyzeRecords([records], { seed: 7, bootstrap: 200, byIteration: true });
  log(`3/3 report`);
  const written = writeReports(doc, { outDir: join(dir, "report") });
  printLine(renderLedgerText(run.ledger));
  printLine(`done in ${((Date.now() - started) / 1000).toFixed(1)} s. Everything is in ${resolve(dir)}/:`);
  const rows: [string, string][] = [
    [spec, "the pipeline spec (edit it and `openloop run` it)"],
    [join(dir, "run", "audit.json"), "the audit: is the loop information-open, and through which signal"],
    [records, "every sample with its signals (the rollout records `openloop analyze` reads)"],
    [join(dir, "run", "dataset.jsonl"), "the selected samples as chat messages (SFT training data)"],
    [
      join(dir, "run", "ledger.json"),
      "bits each signal injected per iteration, accept rate, held-out accuracy",
    ],
    ...written.map((file): [string, string] => [
      file,
      file.endsWith(".html")
        ? "the report: open it in a browser"
        : file.endsWith(".md")
          ? "the report in Markdown"
          : "the analysis as one JSON document",
    ]),
  ];
  const width = Math.max(...rows.map(([file]) => file.length));
  for (const [file, what] of rows) printLine(`  ${file.padEnd(width)}  ${what}`);
}

/** Registers `openloop demo`. */
export function registerDemo(program: Command): Command {
  return program
    .command("demo")
    .description("audit, run, analyse and report a loop on the built-in model, in under a minute")
    .option("--out <dir>", "output directory (default: a fresh openloop-demo*/ folder)")
    .addHelpText("after", EXAMPLES)
    .action((options: { out?: string }) => demo(options));
}
