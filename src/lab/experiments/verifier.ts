/**
 * `verifier`: the same loop with a fixed verifier, its verdict entering as a filter (RFT) or as
 * a reward (RLVR with group-normalised advantages). Prediction: the loop is open; each verdict
 * carries I(Y;S|Q) = h(p_q) > 0 bits per sample on prompts the student sometimes solves, and
 * held-out accuracy rises.
 */
import {
  auditClaim,
  change,
  ciClaim,
  type LabExperiment,
  labSpec,
  loopOptions,
  loopParams,
  overIterations,
} from "../experiment.js";

const ARMS = ["rft", "rlvr"] as const;

/** The verifier experiment. */
export const verifier: LabExperiment = {
  name: "verifier",
  summary: "a fixed verifier as filter (RFT) or reward (RLVR): accuracy rises, bits injected > 0",
  params: loopParams(),
  defaultSeeds: 5,
  quantities: ["accuracy", "expected_accuracy", "pass_rate", "signal_bits", "new_bits"],
  arms(params) {
    return ARMS.map((method) => {
      const options = loopOptions(params, { method, reward: "verdict" });
      return {
        name: method,
        options,
        spec: labSpec(
          `lab-verifier-${method}`,
          `${method.toUpperCase()} with a fixed answer verifier`,
          options,
        ),
      };
    });
  },
  claims(_params, results, verdicts, unit) {
    return ARMS.flatMap((arm) => [
      ciClaim(
        `${arm}: held-out accuracy rises`,
        "change > 0",
        change(results[arm], "accuracy"),
        (ci) => ci.lo > 0,
      ),
      ciClaim(
        `${arm}: verifier bits injected per sample, h(p_q) averaged over prompts and iterations`,
        "> 0",
        overIterations(results[arm], "signal_bits"),
        (ci) => ci.lo > 0,
        unit,
      ),
      ciClaim(
        `${arm}: bits about correctness the student could not predict, I(S;C|Q,S_hat)`,
        "> 0",
        overIterations(results[arm], "new_bits"),
        (ci) => ci.lo > 0,
        unit,
      ),
      ciClaim(
        `${arm}: the same, pooled over the run, minus its within-stratum permutation mean`,
        "> 0",
        results[arm].map((r) => r.summary.new_bits_excess),
        (ci) => ci.lo > 0,
        unit,
      ),
      auditClaim(arm, "open", verdicts),
    ]);
  },
};
