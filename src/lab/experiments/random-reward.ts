/**
 * `random-reward`: RLVR whose reward is a fair coin, independent of the task. Prediction: the
 * reward carries a bit per sample about nothing: no task information is gained (held-out
 * accuracy does not rise, the reward says nothing about correctness the student could not
 * predict), and the audit calls the loop closed, whatever happens to surface behaviour.
 */
import { buildArms, loopParams } from "../arms.js";
import { auditClaim, change, ciClaim, DOES_NOT_RISE } from "../claims.js";
import type { LabExperiment } from "../experiment.js";

/** The random-reward experiment. */
export const randomReward: LabExperiment = {
  name: "random-reward",
  summary: "RLVR with a coin-flip reward: no task information gained, the audit says closed",
  params: loopParams(),
  defaultSeeds: 5,
  quantities: ["accuracy", "class_entropy", "response_entropy", "mean_pad", "signal_bits", "new_bits"],
  arms: (params) =>
    buildArms(params, [
      {
        name: "coin",
        loop: { method: "rlvr", reward: "random" },
        spec: "lab-random-reward",
        description: "GRPO with a Bernoulli(0.5) reward",
      },
    ]),
  claims(_params, results, verdicts, unit) {
    return [
      ciClaim(
        "held-out accuracy does not rise (change not significantly > 0)",
        DOES_NOT_RISE,
        change(results.coin, "accuracy"),
      ),
      ciClaim(
        "bits about correctness the student could not predict, I(S;C|Q,S_hat), pooled over the run, " +
          "minus its within-stratum permutation mean",
        { text: "0", holds: (ci) => ci.lo <= 0 && ci.hi >= 0 },
        results.coin.map((r) => r.summary.new_bits_excess),
        unit,
      ),
      auditClaim("coin", "closed", verdicts),
    ];
  },
};
