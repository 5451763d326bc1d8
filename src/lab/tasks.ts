/**
 * Procedural task families for the lab: every prompt has a feature vector the learner sees, a
 * text, and a gold answer (a small whole number, the answer class). The answer can be written
 * in several acceptable surface forms and padded to any length; the verifier accepts any form
 * of the right value and nothing else. Prompts split into training and held-out sets so that
 * held-out accuracy measures what the student knows about the task, not what it memorised.
 */
import type { Rng } from "../info/index.js";
import { parseAnswer } from "./forms.js";

/** One prompt of a task. */
export interface Prompt {
  id: string;
  text: string;
  features: Float64Array;
  gold: number;
}

/** A task family: its whole (finite) prompt space and the number of answer classes. */
export interface TaskFamily {
  name: TaskName;
  summary: string;
  classes: number;
  featureDim: number;
  prompts: readonly Prompt[];
}

/** The names of the built-in task families. */
export const TASK_NAMES = ["count", "add", "max", "weighted"] as const;
export type TaskName = (typeof TASK_NAMES)[number];

function bitsOf(code: number, width: number): number[] {
  return Array.from({ length: width }, (_, i) => (code >> (width - 1 - i)) & 1);
}

/** Thermometer code of v in 0..levels-1: levels-1 indicators [v > 0, v > 1, ...]. */
function thermometer(v: number, levels: number): number[] {
  return Array.from({ length: levels - 1 }, (_, i) => (v > i ? 1 : 0));
}

function countTask(): TaskFamily {
  const width = 10;
  const prompts = Array.from({ length: 1 << width }, (_, code) => {
    const bits = bitsOf(code, width);
    return {
      id: `count-${code}`,
      text: `How many 1s are in ${bits.join("")}?`,
      features: Float64Array.from(bits),
      gold: bits.reduce((a, b) => a + b, 0),
    };
  });
  return {
    name: "count",
    summary: "count the 1s in a 10-bit string",
    classes: width + 1,
    featureDim: width,
    prompts,
  };
}

function addTask(): TaskFamily {
  const levels = 16;
  const prompts: Prompt[] = [];
  for (let a = 0; a < levels; a++) {
    for (let b = 0; b < levels; b++) {
      prompts.push({
        id: `add-${a}-${b}`,
        text: `What is ${a} + ${b}?`,
        features: Float64Array.from([...thermometer(a, levels), ...thermometer(b, levels)]),
        gold: a + b,
      });
    }
  }
  return {
    name: "add",
    summary: "add two numbers in 0..15",
    classes: 2 * levels - 1,
    featureDim: 2 * (levels - 1),
    prompts,
  };
}

function maxTask(): TaskFamily {
  const prompts: Prompt[] = [];
  for (let code = 0; code < 1000; code++) {
    const digits = [Math.floor(code / 100), Math.floor(code / 10) % 10, code % 10];
    prompts.push({
      id: `max-${digits.join("")}`,
      text: `What is the largest of ${digits.join(", ")}?`,
      features: Float64Array.from(digits.flatMap((d) => thermometer(d, 10))),
      gold: Math.max(...digits),
    });
  }
  return { name: "max", summary: "the largest of three digits", classes: 10, featureDim: 27, prompts };
}

function weightedTask(): TaskFamily {
  const width = 10;
  const weights = bitsOf(0b0101010101, width).map((b) => 1 + b);
  const prompts = Array.from({ length: 1 << width }, (_, code) => {
    const bits = bitsOf(code, width);
    return {
      id: `weighted-${code}`,
      text: `Score ${bits.join("")} with weights ${weights.join("")}.`,
      features: Float64Array.from(bits),
      gold: bits.reduce((s, b, i) => s + b * weights[i], 0),
    };
  });
  return {
    name: "weighted",
    summary: "a weighted sum of 10 bits (weights 1 and 2)",
    classes: 16,
    featureDim: width,
    prompts,
  };
}

const cache = new Map<TaskName, TaskFamily>();

/** The task family named `name` (built once, then shared). */
export function taskFamily(name: TaskName): TaskFamily {
  let task = cache.get(name);
  if (task === undefined) {
    task = { count: countTask, add: addTask, max: maxTask, weighted: weightedTask }[name]();
    cache.set(name, task);
  }
  return task;
}

/**
 * The verifier of every lab task: accepts a response whose answer, in any surface form and
 * with any padding, equals the gold value.
 * @example verify("= 12 _ _", 12) // true
 */
export function verify(response: string, gold: number): boolean {
  return parseAnswer(response) === gold;
}

/** Splits a task's prompts at random into `heldOut` held-out prompts and the rest for training. */
export function splitPrompts(
  task: TaskFamily,
  heldOut: number,
  rng: Rng,
): { train: Prompt[]; heldOut: Prompt[] } {
  const order = task.prompts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const n = Math.min(heldOut, Math.floor(order.length / 2));
  return {
    heldOut: order.slice(0, n).map((i) => task.prompts[i]),
    train: order.slice(n).map((i) => task.prompts[i]),
  };
}
