/**
 * The run's outputs, derived from the journal alone and in canonical order (iteration, prompt
 * index, candidate index), so that a resumed run writes the same bytes as an uninterrupted one:
 * records.jsonl (every candidate with every signal), dataset.jsonl (selected samples as chat
 * messages, then the iteration's real samples, each row marked by its `source`), pairs.jsonl (chosen/rejected pairs, `pairs` selection only) and ledger.json. A
 * finished iteration is rendered once; each file is written to a temporary name, flushed, and
 * renamed into place.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { OpenloopError } from "../errors.js";
import type { Unit } from "../info/index.js";
import type { PipelineSpec } from "../spec/index.js";
import { usedSignals } from "../spec/index.js";
import type { ChatMessage } from "./endpoint/chat-client.js";
import { type Ledger, type LedgerIteration, ledgerIteration, ledgerTotals } from "./ledger.js";
import type { RealSample } from "./runner/real.js";
import type { IterationEntry, TrainingExample, UnitEntry } from "./runner/types.js";
import { selectUnit } from "./selection.js";

/** The rendered contents of every output file. */
export interface RunOutputs {
  records: string;
  dataset: string;
  pairs?: string;
  ledger: Ledger;
}

/** Writes `content` to `path` atomically (temporary file, fsync, rename). */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, "w");
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    throw new OpenloopError("io", `cannot write ${path}: ${(error as Error).message}`, {
      where: { file: path },
      cause: error,
    });
  }
}

/** Units sorted in canonical order. */
export function canonicalOrder(units: Iterable<UnitEntry>): UnitEntry[] {
  return [...units].sort((a, b) => a.iteration - b.iteration || a.index - b.index);
}

function promptMessages(unit: UnitEntry): ChatMessage[] {
  return unit.messages ?? [{ role: "user", content: unit.prompt }];
}

function lastUser(messages: ChatMessage[]): string {
  return [...messages].reverse().find((m) => m.role === "user")?.content ?? messages[0]?.content ?? "";
}

/**
 * The training examples one iteration gives the built-in student: its units' selection, then its
 * real samples (weight 1).
 */
export function trainingExamples(
  spec: PipelineSpec,
  units: UnitEntry[],
  real: RealSample[] = [],
): TrainingExample[] {
  const names = usedSignals(spec).map((s) => s.name);
  const examples: TrainingExample[] = [];
  for (const unit of canonicalOrder(units)) {
    if (spec.selection.mode === "reference") {
      if (unit.reference !== undefined)
        examples.push({ promptId: unit.prompt_id, prompt: unit.prompt, response: unit.reference, weight: 1 });
      continue;
    }
    const selection = selectUnit(spec.selection, names, unit.candidates);
    unit.candidates.forEach((c, i) => {
      if (c.response === undefined) return;
      const advantage = selection.advantages?.[i];
      if (
        spec.selection.mode === "reward" &&
        advantage !== null &&
        advantage !== undefined &&
        advantage !== 0
      )
        examples.push({
          promptId: unit.prompt_id,
          prompt: unit.prompt,
          response: c.response,
          weight: advantage,
        });
      else if (spec.selection.mode !== "reward" && selection.accepted[i])
        examples.push({ promptId: unit.prompt_id, prompt: unit.prompt, response: c.response, weight: 1 });
    });
  }
  for (const r of real)
    examples.push({ promptId: r.promptId, prompt: lastUser(r.messages), response: r.response, weight: 1 });
  return examples;
}

/** How many synthetic samples one iteration's units put in dataset.jsonl. */
export function selectedSamples(spec: PipelineSpec, units: UnitEntry[]): number {
  const names = usedSignals(spec).map((s) => s.name);
  let count = 0;
  for (const unit of units) {
    if (spec.selection.mode === "reference") {
      if (unit.reference !== undefined) count++;
      continue;
    }
    const selection = selectUnit(spec.selection, names, unit.candidates);
    unit.candidates.forEach((c, i) => {
      if (selection.accepted[i] && c.response !== undefined) count++;
    });
  }
  return count;
}

/** One iteration's outputs: its lines of every file and its ledger line. */
export interface IterationOutputs {
  iteration: number;
  records: string;
  dataset: string;
  pairs: string;
  ledger: LedgerIteration;
}

function lines(rows: string[]): string {
  return rows.map((row) => `${row}\n`).join("");
}

/**
 * Renders one iteration from its units (any order: they are sorted), its real samples and, for
 * the built-in student, its trained-iteration entry.
 */
export function renderIteration(
  spec: PipelineSpec,
  iteration: number,
  units: UnitEntry[],
  trained: IterationEntry | undefined,
  unit: Unit,
  real: RealSample[] = [],
): IterationOutputs {
  const names = usedSignals(spec).map((s) => s.name);
  const records: string[] = [];
  const dataset: string[] = [];
  const pairs: string[] = [];
  let acceptedCount = 0;
  const sorted = canonicalOrder(units);
  for (const u of sorted) {
    const selection = selectUnit(spec.selection, names, u.candidates);
    const messages = promptMessages(u);
    u.candidates.forEach((c, i) => {
      const accepted = selection.accepted[i];
      if (accepted) acceptedCount++;
      const record: Record<string, unknown> = {
        iteration: u.iteration,
        prompt_id: u.prompt_id,
        prompt: u.prompt,
      };
      if (c.response !== undefined) record.response = c.response;
      record.signals = c.signals;
      if (c.class !== undefined) record.class = c.class;
      if (c.gold !== undefined) record.gold = c.gold;
      if (c.features !== undefined) record.features = c.features;
      record.accepted = accepted;
      const advantage = selection.advantages?.[i];
      if (advantage !== undefined && advantage !== null) record.advantage = advantage;
      if (c.error !== undefined) record.error = c.error;
      records.push(JSON.stringify(record));
      if (accepted && c.response !== undefined) {
        const example: Record<string, unknown> = {
          messages: [...messages, { role: "assistant", content: c.response }],
        };
        if (advantage !== undefined && advantage !== null) example.advantage = advantage;
        example.source = "synthetic";
        dataset.push(JSON.stringify(example));
      }
    });
    if (spec.selection.mode === "reference" && u.reference !== undefined)
      dataset.push(
        JSON.stringify({
          messages: [...messages, { role: "assistant", content: u.reference }],
          source: "synthetic",
        }),
      );
    for (const [chosen, rejected] of selection.pairs ?? [])
      pairs.push(
        JSON.stringify({
          prompt_id: u.prompt_id,
          prompt: messages,
          chosen: [{ role: "assistant", content: u.candidates[chosen].response }],
          rejected: [{ role: "assistant", content: u.candidates[rejected].response }],
        }),
      );
  }
  for (const r of real)
    dataset.push(
      JSON.stringify({
        messages: [...r.messages, { role: "assistant", content: r.response }],
        source: "real",
      }),
    );
  const ledger = ledgerIteration(
    iteration,
    sorted,
    acceptedCount,
    spec.signals.map((s) => s.name),
    unit,
    real.length,
  );
  if (trained !== undefined) {
    ledger.trained_on = trained.trained_on;
    ledger.held_out_accuracy = trained.held_out_accuracy;
  }
  return { iteration, records: lines(records), dataset: lines(dataset), pairs: lines(pairs), ledger };
}

/** The ledger document over the given iteration lines. */
export function renderLedger(
  spec: PipelineSpec,
  generatorId: string,
  unit: Unit,
  iterations: LedgerIteration[],
  heldOutInitial?: number,
): Ledger {
  return {
    version: 1,
    spec: spec.name,
    generator: generatorId,
    unit,
    selection: spec.selection.mode,
    selection_signals: usedSignals(spec).map((s) => s.name),
    signals: Object.fromEntries(
      spec.signals.map((s) => [s.name, { kind: s.kind, model: s.model, deterministic: s.kind !== "random" }]),
    ),
    ...(heldOutInitial === undefined ? {} : { held_out_accuracy_initial: heldOutInitial }),
    iterations,
    totals: ledgerTotals(
      iterations,
      spec.signals.map((s) => s.name),
    ),
  };
}

/** Joins rendered iterations (in iteration order) into the run's outputs. */
export function assembleOutputs(
  spec: PipelineSpec,
  generatorId: string,
  unit: Unit,
  parts: IterationOutputs[],
  heldOutInitial?: number,
): RunOutputs {
  const ordered = [...parts].sort((a, b) => a.iteration - b.iteration);
  return {
    records: ordered.map((p) => p.records).join(""),
    dataset: ordered.map((p) => p.dataset).join(""),
    pairs: spec.selection.mode === "pairs" ? ordered.map((p) => p.pairs).join("") : undefined,
    ledger: renderLedger(
      spec,
      generatorId,
      unit,
      ordered.map((p) => p.ledger),
      heldOutInitial,
    ),
  };
}

/** Everything the outputs are derived from. */
export interface OutputInputs {
  spec: PipelineSpec;
  generatorId: string;
  unit: Unit;
  units: Iterable<UnitEntry>;
  iterations: IterationEntry[];
  heldOutInitial?: number;
  /** The real samples of each iteration (index = iteration; see `createRealMixer`). */
  real?: RealSample[][];
}

/** Renders every output from the journaled units (canonical order; independent of arrival order). */
export function renderOutputs(input: OutputInputs): RunOutputs {
  const groups = new Map<number, UnitEntry[]>();
  for (const u of input.units) {
    const group = groups.get(u.iteration);
    if (group === undefined) groups.set(u.iteration, [u]);
    else group.push(u);
  }
  const trained = new Map(input.iterations.map((it) => [it.iteration, it]));
  const parts = [...groups].map(([iteration, units]) =>
    renderIteration(
      input.spec,
      iteration,
      units,
      trained.get(iteration),
      input.unit,
      input.real?.[iteration],
    ),
  );
  return assembleOutputs(input.spec, input.generatorId, input.unit, parts, input.heldOutInitial);
}

/** Writes the outputs into `dir`; returns the paths written. */
export function writeOutputs(dir: string, outputs: RunOutputs): string[] {
  const files: [string, string][] = [
    ["records.jsonl", outputs.records],
    ["dataset.jsonl", outputs.dataset],
    ["ledger.json", `${JSON.stringify(outputs.ledger, null, 2)}\n`],
  ];
  if (outputs.pairs !== undefined) files.push(["pairs.jsonl", outputs.pairs]);
  return files.map(([name, content]) => {
    const path = join(dir, name);
    writeFileAtomic(path, content);
    return path;
  });
}
