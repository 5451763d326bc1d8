/**
 * The built-in student as the run sees it: the serve engineer's built-in model (src/run/builtin)
 * behind the runner's `TrainableStudent` contract: its task's prompts, ground truth for the
 * records' `gold`, its training prompts with gold references (the built-in real data),
 * deterministic training on an iteration's selected examples, and held-out accuracy.
 */
import { OpenloopError } from "../../errors.js";
import { MAX_FORMS, parseLabAnswer, TASK_NAMES, type TaskName } from "../../lab/index.js";
import type { PipelineSpec } from "../../spec/index.js";
import { type BuiltinPrompt, createBuiltinStudent } from "../builtin/index.js";
import type { RunPrompt, TrainableStudent } from "./types.js";

/** Builds the built-in student a spec asks for (`generator.builtin`), or undefined. */
export function openBuiltinStudent(spec: PipelineSpec, specFile: string): TrainableStudent | undefined {
  const config = spec.generator.builtin;
  if (config === undefined) return undefined;
  if (!(TASK_NAMES as readonly string[]).includes(config.task))
    throw new OpenloopError("spec", `unknown built-in task '${config.task}'`, {
      where: { file: specFile, path: "generator.builtin.task" },
      hint: `choose one of ${TASK_NAMES.join(", ")}`,
    });
  const student = createBuiltinStudent({
    task: config.task as TaskName,
    seed: config.seed ?? spec.seed ?? 0,
    temperature: config.temperature,
    forms: Math.min(spec.task.acceptable_forms, MAX_FORMS),
  });
  const runPrompt = (p: BuiltinPrompt): RunPrompt => ({
    id: p.promptId,
    text: p.text,
    messages: p.messages,
    fields: { gold: String(p.gold) },
    reference: String(p.gold),
  });
  let trainingIds: Set<string> | undefined;
  const training = () => {
    trainingIds ??= new Set(student.trainingPrompts().map((p) => p.promptId));
    return trainingIds;
  };
  return {
    generator: student.generator,
    prompts: (iteration, count) => student.prompts(count, iteration).map(runPrompt),
    referencePrompts: () => student.trainingPrompts().map(runPrompt),
    promptIdOf: (messages) => {
      const prompt = student.findPrompt(messages);
      return typeof prompt === "string" || !training().has(prompt.id) ? undefined : prompt.id;
    },
    isCorrect: (prompt, response) => parseLabAnswer(response) === Number(prompt.fields.gold),
    train: (examples) => {
      student.train(examples.map((e) => ({ promptId: e.promptId, response: e.response, weight: e.weight })));
    },
    evaluate: () => student.evaluate().accuracy,
  };
}
