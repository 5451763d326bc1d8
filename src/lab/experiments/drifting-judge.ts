/**
 * `drifting-judge`: the verdict comes from a judge that is a copy of the current student (it
 * accepts what the student itself would answer). Prediction: the judge drifts with the student,
 * so I(X;S_t|Z_t) = 0: its verdicts carry bits about the response but none the student could
 * not predict, and gains stop, as in a closed loop. A fixed verifier in the same loop is the
 * contrast.
 */
import { buildArms, loopParams } from "../arms.js";
import {
  auditClaim,
  change,
  ciClaim,
  DOES_NOT_RISE,
  overIterations,
  POSITIVE,
  paired,
  ZERO,
} from "../claims.js";
import type { LabExperiment } from "../experiment.js";

/** The drifting-judge experiment. */
export const driftingJudge: LabExperiment = {
  name: "drifting-judge",
  summary: "a judge that copies the student: its verdicts add nothing new, gains stop as if closed",
  params: loopParams(),
  defaultSeeds: 5,
  quantities: ["accuracy", "class_entropy", "pass_rate", "train_reward", "signal_bits", "new_bits"],
  arms: (params) =>
    buildArms(params, [
      {
        name: "judge",
        loop: { method: "judge" },
        spec: "lab-drifting-judge",
        description: "RFT filtered by a copy of the student",
      },
      {
        name: "verifier",
        loop: { method: "rft", reward: "verdict" },
        spec: "lab-fixed-verifier",
        description: "RFT filtered by a fixed verifier",
      },
    ]),
  claims(_params, results, verdicts, unit) {
    const { judge, verifier } = results;
    return [
      ciClaim(
        "judge: held-out accuracy does not rise (change not significantly > 0)",
        DOES_NOT_RISE,
        change(judge, "accuracy"),
      ),
      ciClaim(
        "judge: its verdicts carry bits about the response, H(S|Q) > 0",
        POSITIVE,
        overIterations(judge, "signal_bits"),
        unit,
      ),
      ciClaim(
        "judge: bits the student could not predict, I(S;C|Q,S_hat)",
        ZERO,
        overIterations(judge, "new_bits"),
        unit,
      ),
      ciClaim(
        "a fixed verifier in the same loop gains more accuracy (paired difference)",
        POSITIVE,
        paired(change(verifier, "accuracy"), change(judge, "accuracy")),
      ),
      auditClaim("judge", "closed", verdicts),
      auditClaim("verifier", "open", verdicts),
    ];
  },
};
