/** External verifiers: each kind as a library function, and `verify` over any configuration. */
export type { CodeLanguage, CodeResult, CodeRun, CodeStatus } from "./code.js";
export { classifyRun, defaultRuntime, extractCode, runCode, verifyCode } from "./code.js";
export { JAVASCRIPT_HARNESS, PYTHON_HARNESS } from "./code-harness.js";
export { verifyCommand } from "./command.js";
export { JUDGE_RETRY, JUDGE_SYSTEM_PROMPT, judgeMessage, parseJudgeScore, verifyJudge } from "./judge.js";
export type { MathCheck, MathCheckOptions } from "./math/check.js";
export { checkMath, parseAnswer } from "./math/check.js";
export type { ExtractMode } from "./math/extract.js";
export { extractAnswer, extractBoxed } from "./math/extract.js";
export { MATH_LIMITS } from "./math/limits.js";
export { verifyMath } from "./math.js";
export { compileSchema, verifySchema } from "./schema.js";
export { verifyContains, verifyRegex } from "./text.js";
export type { Verdict, VerifierRecord, VerifyOptions } from "./types.js";
export { textField } from "./types.js";
export { verify } from "./verify.js";
