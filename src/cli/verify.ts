/**
 * `openloop verify KIND ...`: each external verifier usable alone. `math` and `code` live here;
 * the response checks (schema, regex, contains, judge, command) are in verify-checks.ts.
 */
import { type Command, Option } from "commander";
import { OpenloopError } from "../errors.js";
import type { CodeLanguage, ExtractMode, MathCheck } from "../run/index.js";
import { fmt, log, printJson, printLine, styles } from "./output.js";
import { choiceOption, intOption, numberOption } from "./parse.js";
import { registerResponseChecks } from "./verify-checks.js";
import { readTextFile } from "./verify-output.js";

const EXAMPLES = `
Examples:
  $ openloop verify math '\\frac{1}{2}' 'so the answer is \\boxed{0.5}'
  $ openloop verify math --file pairs.jsonl --json          # rows with fields gold, pred
  $ openloop verify code --lang python --code solution.py --tests tests.py --timeout 5
  $ openloop verify regex '^\\d+$' 42
  $ openloop verify judge --base-url http://127.0.0.1:8000/v1 --model judge-7b --rubric 'Is it polite?' 'Thanks!'
  $ openloop verify command --file records.jsonl -- ./check.py

Exit codes: 0 every check passed, 1 some check failed, 2 bad usage or input
(a missing file, a missing language runtime, bubblewrap not installed).`;

const EXTRACT_MODES = ["boxed", "answer", "last-number", "auto"] as const;

interface MathOptions {
  file?: string;
  json?: boolean;
  extract: ExtractMode;
  stripUnits?: boolean;
}

function mathJson(check: MathCheck, line?: number) {
  return {
    ...(line !== undefined ? { line } : {}),
    equivalent: check.equivalent,
    gold_answer: check.goldAnswer,
    pred_answer: check.predAnswer,
    ...(check.class !== undefined ? { class: check.class } : {}),
    ...(check.reason !== undefined ? { reason: check.reason } : {}),
  };
}

function mathText(check: MathCheck): string {
  const s = styles();
  const head = check.equivalent ? s.green("equivalent") : s.red("not equivalent");
  const answer = check.predAnswer === null ? "" : ` answer=${JSON.stringify(check.predAnswer)}`;
  const cls = check.class === undefined ? "" : ` class=${check.class}`;
  const reason = check.reason === undefined ? "" : ` (${check.reason})`;
  return `${head}${answer}${cls}${reason}`;
}

async function mathAction(
  gold: string | undefined,
  pred: string | undefined,
  options: MathOptions,
): Promise<void> {
  const checkOptions = { extract: options.extract, stripUnits: options.stripUnits ?? false };
  // loaded when the command runs, so that start-up stays cheap
  const { checkMath } = await import("../run/index.js");
  if (options.file === undefined) {
    if (gold === undefined || pred === undefined) {
      throw new OpenloopError("usage", "give GOLD and PRED, or --file pairs.jsonl");
    }
    const check = checkMath(gold, pred, checkOptions);
    if (options.json) printJson(mathJson(check));
    else printLine(mathText(check));
    if (!check.equivalent) process.exitCode = 1;
    return;
  }
  if (gold !== undefined) throw new OpenloopError("usage", "give either GOLD PRED or --file, not both");
  const verdicts: ReturnType<typeof mathJson>[] = [];
  let n = 0;
  let equivalent = 0;
  const { readRows } = await import("../records/index.js");
  for await (const { row, line } of readRows(options.file)) {
    const g = row.gold;
    const p = row.pred;
    if (g === undefined || g === null || p === undefined || p === null) {
      throw new OpenloopError("input", "each row needs the fields gold and pred", {
        where: { file: options.file, line },
      });
    }
    const check = checkMath(String(g), String(p), checkOptions);
    n += 1;
    if (check.equivalent) equivalent += 1;
    if (options.json) verdicts.push(mathJson(check, line));
    else printLine(`${line}: ${mathText(check)}`);
  }
  if (options.json) printJson({ n, equivalent, accuracy: n === 0 ? null : equivalent / n, verdicts });
  else log(`${equivalent} of ${n} equivalent (${fmt(n === 0 ? null : equivalent / n)})`);
  if (equivalent < n) process.exitCode = 1;
}

interface CodeOptions {
  lang: CodeLanguage;
  code: string;
  tests: string;
  timeout: number;
  memory: number;
  runtime?: string;
  json?: boolean;
  unsafeNoSandbox?: boolean;
}

async function codeAction(options: CodeOptions): Promise<void> {
  const code = readTextFile(options.code, "code");
  const tests = readTextFile(options.tests, "tests");
  if (options.unsafeNoSandbox)
    log("openloop: warning: --unsafe-no-sandbox: the code runs on this machine unconfined");
  const { runCode } = await import("../run/index.js");
  const result = await runCode({
    lang: options.lang,
    code,
    tests,
    timeoutS: options.timeout,
    memoryMb: options.memory,
    unsafeNoSandbox: options.unsafeNoSandbox,
    runtime: options.runtime,
  });
  if (options.json) {
    printJson({
      status: result.status,
      pass: result.pass,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      duration_ms: Math.round(result.durationMs),
      sandboxed: result.sandboxed,
      exit_code: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
    });
  } else {
    const s = styles();
    const status = result.pass ? s.green(result.status) : s.red(result.status);
    const reason = result.reason === undefined ? "" : ` (${result.reason})`;
    printLine(`status: ${status}${reason}`);
    log(`${Math.round(result.durationMs)} ms, ${result.sandboxed ? "sandboxed" : "NOT sandboxed"}`);
  }
  if (!result.pass) process.exitCode = 1;
}

/** Registers `openloop verify` and its subcommands. */
export function registerVerify(program: Command): Command {
  const verify = program
    .command("verify")
    .description("run one external verifier (math, code, schema, regex, contains, judge, command)")
    .addHelpText("after", EXAMPLES);

  verify
    .command("math")
    .description("is PRED (a response or an answer) equivalent to GOLD? exit 0 yes, 1 no")
    .argument("[gold]", "the gold answer (a \\boxed{} inside is used)")
    .argument("[pred]", "the prediction: a full response or a bare answer")
    .option("--file <pairs>", "check every row of a JSONL/CSV/Parquet file with fields gold, pred")
    .addOption(
      new Option("--extract <mode>", "how the final answer is found in PRED")
        .choices(EXTRACT_MODES)
        .default("auto")
        .argParser(choiceOption("--extract", EXTRACT_MODES)),
    )
    .option("--strip-units", "drop unit words after numeric answers (5 cm = 5)")
    .option("--json", "print one JSON document")
    .addHelpText(
      "after",
      `
Examples:
  $ openloop verify math 1234 'The total is 1,234.'
  $ openloop verify math '[1, 2)' '\\boxed{[1,2]}'            # not equivalent: the right end differs
  $ openloop verify math --strip-units 5 '\\boxed{5\\text{ cm}}'
  $ openloop verify math --file pairs.jsonl --json`,
    )
    .action(mathAction);

  verify
    .command("code")
    .description("run a program against tests in the bubblewrap sandbox; exit 0 only when passed")
    .addOption(
      new Option("--lang <lang>", "language of the program")
        .choices(["python", "javascript"])
        .makeOptionMandatory()
        .argParser(choiceOption("--lang", ["python", "javascript"] as const)),
    )
    .requiredOption("--code <file>", "the program (solution)")
    .requiredOption("--tests <file>", "the tests, run after the program in the same namespace")
    .option("--timeout <seconds>", "wall-clock and CPU limit", numberOption("--timeout", 0.1, 3600), 10)
    .option("--memory <mb>", "address-space limit in MiB", intOption("--memory", 16, 65536), 512)
    .option("--runtime <path>", "interpreter (default /usr/bin/python3, or this node)")
    .option("--unsafe-no-sandbox", "run without bubblewrap (only rlimits): never for untrusted code")
    .option("--json", "print one JSON document")
    .addHelpText(
      "after",
      `
Status: passed | failed | timeout | memory | error. Passing needs the tests to finish and the
harness to print a fresh random sentinel after them: sys.exit(0) before the tests fails.

Examples:
  $ openloop verify code --lang python --code solution.py --tests tests.py
  $ openloop verify code --lang javascript --code sol.js --tests tests.js --timeout 5 --json`,
    )
    .action(codeAction);

  registerResponseChecks(verify);
  return verify;
}
