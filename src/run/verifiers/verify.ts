/** One entry point for every verifier kind: (config, record) -> verdict. */
import type { VerifierConfig } from "../../spec/index.js";
import { verifyCode } from "./code.js";
import { verifyCommand } from "./command.js";
import { verifyJudge } from "./judge.js";
import { verifyMath } from "./math.js";
import { verifySchema } from "./schema.js";
import { verifyContains, verifyRegex } from "./text.js";
import type { Verdict, VerifierRecord, VerifyOptions } from "./types.js";

/**
 * Runs the verifier described by `config` on `record`. Configuration problems (a missing tests
 * file, a missing runtime or bubblewrap) throw `OpenloopError`; anything the record does yields
 * a verdict.
 * @example await verify(verifierConfigSchema.parse({ type: "contains", values: ["42"] }), { response: "it is 42" })
 */
export async function verify(
  config: VerifierConfig,
  record: VerifierRecord,
  options: VerifyOptions = {},
): Promise<Verdict> {
  switch (config.type) {
    case "math":
      return verifyMath(config, record);
    case "code":
      return verifyCode(config, record, options);
    case "schema":
      return verifySchema(config, record, options);
    case "regex":
      return verifyRegex(config, record);
    case "contains":
      return verifyContains(config, record);
    case "judge":
      return verifyJudge(config, record, options);
    case "command":
      return verifyCommand(config, record, options);
  }
}
