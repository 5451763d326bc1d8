/**
 * The built-in model: the lab's learner on a built-in task as a generator and trainable student.
 */
export type { BuiltinPrompt, PromptSet } from "./prompts.js";
export { createPromptSet, drawPrompts, findPrompt, toBuiltinPrompt } from "./prompts.js";
export type { OutputSpace, ResponseTokens } from "./responses.js";
export { decodeResponse } from "./responses.js";
export type {
  BuiltinStudent,
  BuiltinStudentOptions,
  StudentEvaluation,
  TrainingExample,
  TrainingSummary,
} from "./student.js";
export { createBuiltinStudent, MIN_TEMPERATURE, requestSeed } from "./student.js";
