/**
 * The run's outputs, derived from the journal alone and in canonical order (iteration, prompt
 * index, candidate index), so that a resumed run writes the same bytes as an uninterrupted one:
 * records.jsonl (every candidate with every signal), dataset.jsonl (selected samples as chat
 * messages), pairs.jsonl (chosen/rejected pairs, `pairs` selection only) and ledger.json. Each
 * file is written to a temporary name, flushed, and renamed into place.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { OpenloopError } from "../errors.js";
import type { Unit } from "../info/index.js";
import type { PipelineSpec } from "../spec/index.js";
import { usedSignals } from "../spec/index.js";
import type { ChatMessage } from "./endpoint/chat-client.js";
import { type Ledger, ledgerIteration, ledgerTotals } from "./ledger.js";
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

/** The training examples one iteration's units give the built-in student. */
export function trainingExamples(spec: PipelineSpec, units: UnitEntry[]): TrainingExample[] {
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
  return examples;
}

/** Everything the outputs are derived from. */
export interface OutputInputs {
  spec: PipelineSpec;
  generatorId: string;
  unit: Unit;
  units: Iterable<UnitEntry>;
  iterations: IterationEntry[];
  heldOutInitial?: number;
}

/** Renders every output from the journaled units (canonical order; independent of arrival order). */
export function renderOutputs(input: OutputInputs): RunOutputs {
  const { spec } = input;
  const names = usedSignals(spec).map((s) => s.name);
  const allNames = spec.signals.map((s) => s.name);
  const records: string[] = [];
  const dataset: string[] = [];
  const pairs: string[] = [];
  const byIteration = new Map<number, { units: UnitEntry[]; accepted: number }>();
  for (const unit of canonicalOrder(input.units)) {
    const group = byIteration.get(unit.iteration) ?? { units: [], accepted: 0 };
    byIteration.set(unit.iteration, group);
    group.units.push(unit);
    const selection = selectUnit(spec.selection, names, unit.candidates);
    const messages = promptMessages(unit);
    unit.candidates.forEach((c, i) => {
      const accepted = selection.accepted[i];
      if (accepted) group.accepted++;
      const record: Record<string, unknown> = {
        iteration: unit.iteration,
        prompt_id: unit.prompt_id,
        prompt: unit.prompt,
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
        dataset.push(JSON.stringify(example));
      }
    });
    if (spec.selection.mode === "reference" && unit.reference !== undefined)
      dataset.push(
        JSON.stringify({ messages: [...messages, { role: "assistant", content: unit.reference }] }),
      );
    for (const [chosen, rejected] of selection.pairs ?? [])
      pairs.push(
        JSON.stringify({
          prompt_id: unit.prompt_id,
          prompt: messages,
          chosen: [{ role: "assistant", content: unit.candidates[chosen].response }],
          rejected: [{ role: "assistant", content: unit.candidates[rejected].response }],
        }),
      );
  }
  const trained = new Map(input.iterations.map((it) => [it.iteration, it]));
  const iterations = [...byIteration.entries()]
    .sort(([a], [b]) => a - b)
    .map(([iteration, group]) => {
      const line = ledgerIteration(iteration, group.units, group.accepted, allNames, input.unit);
      const done = trained.get(iteration);
      if (done !== undefined) {
        line.trained_on = done.trained_on;
        line.held_out_accuracy = done.held_out_accuracy;
      }
      return line;
    });
  const ledger: Ledger = {
    version: 1,
    spec: spec.name,
    generator: input.generatorId,
    unit: input.unit,
    selection: spec.selection.mode,
    selection_signals: names,
    signals: Object.fromEntries(
      spec.signals.map((s) => [s.name, { kind: s.kind, model: s.model, deterministic: s.kind !== "random" }]),
    ),
    ...(input.heldOutInitial === undefined ? {} : { held_out_accuracy_initial: input.heldOutInitial }),
    iterations,
    totals: ledgerTotals(iterations, allNames),
  };
  const lines = (rows: string[]) => rows.map((row) => `${row}\n`).join("");
  return {
    records: lines(records),
    dataset: lines(dataset),
    pairs: spec.selection.mode === "pairs" ? lines(pairs) : undefined,
    ledger,
  };
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
