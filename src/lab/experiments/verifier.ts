/**
 * `verifier`: the same loop with a fixed verifier, its verdict entering as a filter (RFT) or as
 * a reward (RLVR with group-normalised advantages). Prediction: the loop is open; each verdict
 * carries I(Y;S|Q) = h(p_q) > 0 bits per sample on prompts the student sometimes solves, and
 * held-out accuracy rises.
 */
import { buildArms, loopParams } from "../arms.js";
import { auditClaim, change, ciClaim, overIterations, POSITIVE, RISES } from "../claims.js";
import type { LabExperiment } from "../experiment.js";

const ARMS = ["rft", "rlvr"] as const;

/** The verifier experiment. */
export const verifier: LabExperiment = {
  name: "verifier",
  summary: "a fixed verifier as filter (RFT) or reward (RLVR): accuracy rises, bits injected > 0",
  params: loopParams(),
  defaultSeeds: 5,
  quantities: ["accuracy", "expected_accuracy", "pass_rate", "signal_bits", "new_bits"],
  arms: (params) =>
    buildArms(
      params,
      ARMS.map((method) => ({
        name: method,
        loop: { method, reward: "verdict" },
        spec: `lab-verifier-${method}`,
        description: `${method.toUpperCase()} with a fixed answer verifier`,
      })),
    ),
  claims(_params, results, verdicts, unit) {
    return ARMS.flatMap((arm) => [
      ciClaim(`${arm}: held-out accuracy rises`, RISES, change(results[arm], "accuracy")),
      ciClaim(
        `${arm}: verifier bits injected per sample, h(p_q) averaged over prompts and iterations`,
        POSITIVE,
        overIterations(results[arm], "signal_bits"),
        unit,
      ),
      ciClaim(
        `${arm}: bits about correctness the student could not predict, I(S;C|Q,S_hat)`,
        POSITIVE,
        overIterations(results[arm], "new_bits"),
        unit,
      ),
      ciClaim(
        `${arm}: the same, pooled over the run, minus its within-stratum permutation mean`,
        POSITIVE,
        results[arm].map((r) => r.summary.new_bits_excess),
        unit,
      ),
      auditClaim(arm, "open", verdicts),
    ]);
  },
};
