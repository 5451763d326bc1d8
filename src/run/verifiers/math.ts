/** The `math` verifier as a library function: (config, record) -> verdict. */
import type { MathVerifierConfig } from "../../spec/index.js";
import { checkMath } from "./math/check.js";
import { textField, type Verdict, type VerifierRecord } from "./types.js";

/**
 * Checks `record[config.field]` against the gold answer in `record[config.gold]`.
 * @example verifyMath(config, { response: "\\boxed{12}", gold: "12" }) // { pass: true, class: "12" }
 */
export function verifyMath(config: MathVerifierConfig, record: VerifierRecord): Verdict {
  const response = textField(record, config.field);
  if (response === undefined) return { pass: false, reason: `record has no field '${config.field}'` };
  const gold = textField(record, config.gold);
  if (gold === undefined) return { pass: false, reason: `record has no gold answer in '${config.gold}'` };
  const check = checkMath(gold, response, { extract: config.extract, stripUnits: config.strip_units });
  return {
    pass: check.equivalent,
    ...(check.class !== undefined ? { class: check.class } : {}),
    ...(check.reason !== undefined ? { reason: check.reason } : {}),
  };
}
