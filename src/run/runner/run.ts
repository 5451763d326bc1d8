/**
 * `runPipeline`: executes a pipeline spec. It audits the spec, checks keys and the endpoint,
 * then for each iteration samples every prompt (concurrency-limited), computes every signal,
 * journals each completed prompt-unit durably before it counts, mixes in the iteration's real
 * data (`real_data`), trains the built-in student on the mixed set, and derives the outputs from the journal in canonical order. A
 * resumed run reads the journal, replays the student's training over the journaled iterations
 * (training is deterministic), and runs only the missing units, so its outputs equal an
 * uninterrupted run's.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { type AuditReport, auditSpec } from "../../audit/index.js";
import { OpenloopError } from "../../errors.js";
import { createRng, type Unit } from "../../info/index.js";
import { type PipelineSpec, parseSpec, usedSignals } from "../../spec/index.js";
import { openDiskCache } from "../endpoint/cache.js";
import { createOpenAIGenerator } from "../generators/openai.js";
import type { Generator } from "../generators/types.js";
import { openJournal } from "../journal.js";
import { type Ledger, promptSignalEntropy } from "../ledger.js";
import {
  assembleOutputs,
  type IterationOutputs,
  type RunOutputs,
  renderIteration,
  renderLedger,
  selectedSamples,
  trainingExamples,
  writeFileAtomic,
  writeOutputs,
} from "../outputs.js";
import { selectUnit } from "../selection.js";
import { openGroupJournal } from "./commit.js";
import { runPool } from "./pool.js";
import { probeEndpoint, resolveApiKeys } from "./preflight.js";
import { createPromptSource } from "./prompts.js";
import { openRealData } from "./real.js";
import { checkComputable, createSignalComputer } from "./signals.js";
import { openBuiltinStudent } from "./student.js";
import type { IterationEntry, JournalEntry, StartEntry, TrainableStudent, UnitEntry } from "./types.js";
import { runUnit } from "./unit.js";

/** Options of a run. */
export interface RunOptions {
  specFile: string;
  outDir: string;
  resume?: boolean;
  /** Prompt-units (and requests) in flight; default the endpoint's `concurrency`, else 8. */
  concurrency?: number;
  /** At most this many prompts per iteration. */
  limitPrompts?: number;
  unit?: Unit;
  /** Keep the endpoint's disk cache in DIR/cache (default true). */
  cache?: boolean;
  env?: Record<string, string | undefined>;
  /** Aborting stops starting units; units in flight finish and are journaled. */
  signal?: AbortSignal;
  onAudit?: (report: AuditReport) => void;
  onProgress?: (progress: RunProgress) => void;
  onLog?: (message: string) => void;
}

/** Progress of a run, reported after every unit. */
export interface RunProgress {
  iteration: number;
  iterations: number;
  unitsDone: number;
  unitsTotal: number;
  samples: number;
  errors: number;
  accepted: number;
  bits: number;
  /** Units done in this process (not read from the journal) and the milliseconds since start. */
  newUnits: number;
  elapsedMs: number;
}

/** How a run ended. */
export interface RunResult {
  status: "completed" | "interrupted";
  outDir: string;
  files: string[];
  ledger?: Ledger;
  audit: AuditReport;
  resumedUnits: number;
  newUnits: number;
  newSamples: number;
  elapsedMs: number;
}

/** Removes temporary output files a crash left behind (`records.jsonl.<pid>.tmp`, ...). */
function removeStaleTemporaries(dir: string): void {
  for (const name of readdirSync(dir))
    if (/^(records\.jsonl|dataset\.jsonl|pairs\.jsonl|ledger\.json|audit\.json)\.\d+\.tmp$/.test(name))
      rmSync(join(dir, name), { force: true });
}

function startEntry(specText: string, limit: number | undefined, realDigest: string | undefined): StartEntry {
  return {
    type: "start",
    version: 1,
    spec_sha256: createHash("sha256").update(specText).digest("hex"),
    limit_prompts: limit ?? null,
    ...(realDigest === undefined ? {} : { real_data_sha256: realDigest }),
  };
}

function checkResume(found: JournalEntry | undefined, expected: StartEntry, journalFile: string): void {
  if (found?.type !== "start" || found.spec_sha256 !== expected.spec_sha256)
    throw new OpenloopError("usage", "the spec changed since this run began: cannot resume it", {
      where: { file: journalFile },
      hint: "resume with the same spec file, or start a new run in another --out directory",
    });
  if (found.limit_prompts !== expected.limit_prompts)
    throw new OpenloopError(
      "usage",
      `the run began with --limit-prompts ${found.limit_prompts ?? "(none)"}: resume with the same value`,
      { where: { file: journalFile } },
    );
  if (found.real_data_sha256 !== expected.real_data_sha256)
    throw new OpenloopError("usage", "the real-data file changed since this run began: cannot resume it", {
      where: { file: journalFile, path: "real_data.path" },
      hint: "resume with the same real_data.path contents, or start a new run in another --out directory",
    });
}

function makeGenerator(
  spec: PipelineSpec,
  student: TrainableStudent | undefined,
  apiKey: string | undefined,
  concurrency: number,
  cacheDir: string | undefined,
): Generator {
  if (student !== undefined) return student.generator;
  const endpoint = spec.generator.endpoint;
  if (endpoint === undefined)
    throw new OpenloopError(
      "spec",
      "the run needs a generator: give generator.endpoint or generator.builtin",
      {
        where: { path: "generator" },
      },
    );
  return createOpenAIGenerator({
    baseUrl: endpoint.base_url,
    model: endpoint.model,
    apiKey,
    temperature: endpoint.temperature,
    topP: endpoint.top_p,
    maxTokens: endpoint.max_tokens,
    timeoutMs: endpoint.timeout_s === undefined ? undefined : endpoint.timeout_s * 1000,
    concurrency,
    cache: cacheDir === undefined ? undefined : openDiskCache(cacheDir),
    rng: createRng(spec.seed ?? 0),
  });
}

/**
 * Runs (or, with `resume`, finishes) the pipeline of `options.specFile` into `options.outDir`.
 * @example await runPipeline({ specFile: "examples/pipelines/builtin-rft.yaml", outDir: "out" })
 */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const unit = options.unit ?? "bits";
  let specText: string;
  try {
    specText = readFileSync(options.specFile, "utf8");
  } catch (error) {
    throw new OpenloopError("io", `cannot read spec: ${(error as Error).message}`, {
      where: { file: options.specFile },
    });
  }
  const spec = parseSpec(specText, { file: options.specFile });
  const audit = auditSpec(spec, { unit });
  options.onAudit?.(audit);
  checkComputable(spec, options.specFile);
  const keys = resolveApiKeys(spec, options.specFile, options.env ?? process.env);
  const student = openBuiltinStudent(spec, options.specFile);
  const real = await openRealData(spec, options.specFile, student);
  const endpoint = spec.generator.endpoint;
  if (endpoint !== undefined && spec.generator.builtin === undefined)
    await probeEndpoint(endpoint.base_url, keys.generator);
  for (const [i, signal] of spec.signals.entries())
    if (signal.verifier?.type === "judge")
      await probeEndpoint(signal.verifier.base_url, keys.judges[i], `signals[${i}].verifier.base_url`);
  const prompts = await createPromptSource(spec, options.specFile, student, options.limitPrompts);
  const concurrency = options.concurrency ?? endpoint?.concurrency ?? (student === undefined ? 8 : 64);

  try {
    mkdirSync(options.outDir, { recursive: true });
  } catch (error) {
    throw new OpenloopError("io", `cannot create ${options.outDir}: ${(error as Error).message}`, {
      where: { file: options.outDir },
    });
  }
  const journalFile = join(options.outDir, "journal.jsonl");
  const opened = openJournal<JournalEntry>(journalFile, { resume: options.resume === true });
  opened.journal.close();
  const journal = await openGroupJournal<JournalEntry>(journalFile);
  try {
    const expected = startEntry(specText, options.limitPrompts, real?.digest);
    // A crash can leave a journal without its first line: that run had not begun.
    if (opened.entries.length > 0) checkResume(opened.entries[0], expected, journalFile);
    else await journal.append(expected);
    removeStaleTemporaries(options.outDir);
    const files = [join(options.outDir, "audit.json")];
    writeFileAtomic(files[0], `${JSON.stringify({ file: options.specFile, ...audit }, null, 2)}\n`);
    if (opened.truncatedBytes > 0)
      options.onLog?.(`cut a torn last journal line (${opened.truncatedBytes} bytes) left by a crash`);

    const units = new Map<string, UnitEntry>();
    const trained = new Map<number, IterationEntry>();
    for (const entry of opened.entries) {
      if (entry.type === "unit") units.set(`${entry.iteration}:${entry.index}`, entry);
      else if (entry.type === "iteration") trained.set(entry.iteration, entry);
    }
    const resumedUnits = units.size;
    const generator = makeGenerator(
      spec,
      student,
      keys.generator,
      concurrency,
      options.cache === false ? undefined : join(options.outDir, "cache"),
    );
    const ctx = {
      generator,
      signals: createSignalComputer(spec, { baseDir: dirname(options.specFile), env: options.env }),
      samplesPerPrompt: spec.generator.samples_per_prompt,
      perRequest: endpoint?.n ?? spec.generator.samples_per_prompt,
      baseSeed: endpoint?.seed ?? spec.seed ?? 0,
      student,
    };
    const names = usedSignals(spec).map((s) => s.name);
    const tally = { samples: 0, errors: 0, accepted: 0, bits: 0 };
    const count = (u: UnitEntry) => {
      const selection = selectUnit(spec.selection, names, u.candidates);
      for (const c of u.candidates) c.error === undefined ? tally.samples++ : tally.errors++;
      tally.accepted += selection.accepted.filter(Boolean).length;
      for (const s of spec.signals) tally.bits += promptSignalEntropy(u, s.name, unit);
    };
    for (const u of units.values()) count(u);
    const heldOutInitial = student?.evaluate();
    let newUnits = 0;
    let newSamples = 0;
    let interrupted = false;
    let outputs: string[] = [];
    let rendered: RunOutputs | undefined;
    const parts = new Map<number, IterationOutputs>();
    const byIteration = new Map<number, UnitEntry[]>();
    const keep = (u: UnitEntry) => {
      const group = byIteration.get(u.iteration);
      if (group === undefined) byIteration.set(u.iteration, [u]);
      else group.push(u);
    };
    for (const u of units.values()) keep(u);

    for (let iteration = 0; iteration < spec.iterations && !interrupted; iteration++) {
      const list = prompts.prompts(iteration);
      const pending = list.map((_, index) => index).filter((index) => !units.has(`${iteration}:${index}`));
      let done = list.length - pending.length;
      const report = () =>
        options.onProgress?.({
          iteration,
          iterations: spec.iterations,
          unitsDone: done,
          unitsTotal: list.length,
          ...tally,
          newUnits,
          elapsedMs: Date.now() - started,
        });
      report();
      // A unit counts once its journal line is durable; its slot starts the next unit meanwhile,
      // unless more than `concurrency` units already wait for the disk.
      const appends: Promise<void>[] = [];
      let waiting = 0;
      try {
        await runPool(
          pending,
          concurrency,
          async (index) => {
            const entry = await runUnit(ctx, iteration, index, list[index]);
            waiting++;
            const durable = journal.append(entry).then(() => {
              waiting--;
              units.set(`${iteration}:${index}`, entry);
              keep(entry);
              done++;
              newUnits++;
              newSamples += entry.candidates.length;
              count(entry);
              report();
            });
            appends.push(durable);
            if (waiting > concurrency) await durable;
          },
          () => options.signal?.aborted === true,
        );
      } finally {
        await Promise.allSettled(appends);
      }
      await Promise.all(appends);
      if (done < list.length) {
        interrupted = true;
        break;
      }
      const iterationUnits = byIteration.get(iteration) ?? [];
      const realSamples = real?.next(iteration, selectedSamples(spec, iterationUnits)) ?? [];
      if (student !== undefined) {
        const examples = trainingExamples(spec, iterationUnits, realSamples);
        student.train(examples);
        const accuracy = student.evaluate();
        if (!trained.has(iteration)) {
          const entry: IterationEntry = {
            type: "iteration",
            iteration,
            trained_on: examples.length,
            held_out_accuracy: accuracy,
          };
          await journal.append(entry);
          trained.set(iteration, entry);
        }
      }
      parts.set(
        iteration,
        renderIteration(spec, iteration, iterationUnits, trained.get(iteration), unit, realSamples),
      );
      if (iteration + 1 < spec.iterations) {
        // the ledger so far; the other files are written once, when the run is complete
        const ledgerFile = join(options.outDir, "ledger.json");
        const ledgerLines = [...parts.values()].map((p) => p.ledger);
        const ledger = renderLedger(spec, generator.id, unit, ledgerLines, heldOutInitial);
        writeFileAtomic(ledgerFile, `${JSON.stringify(ledger, null, 2)}\n`);
        outputs = [ledgerFile];
        if (options.signal?.aborted) interrupted = true;
      }
    }
    if (!interrupted) {
      rendered = assembleOutputs(spec, generator.id, unit, [...parts.values()], heldOutInitial);
      outputs = writeOutputs(options.outDir, rendered);
    }
    return {
      status: interrupted ? "interrupted" : "completed",
      outDir: options.outDir,
      files: [...files, ...outputs, journalFile],
      ledger: interrupted ? undefined : rendered?.ledger,
      audit,
      resumedUnits,
      newUnits,
      newSamples,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await journal.close();
  }
}
