/** The sandbox for untrusted code: bubblewrap + rlimits, and the host checks it needs. */
export { findBwrap, findPrlimit, sandboxAvailable } from "./host.js";
export type { SandboxLimits } from "./layout.js";
export { bwrapArgs, prlimitArgs, SANDBOX_WORKDIR } from "./layout.js";
export type { SandboxRequest, SandboxResult } from "./run.js";
export { runSandboxed, sandboxLimits } from "./run.js";
