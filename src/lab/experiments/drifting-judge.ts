/**
 * `drifting-judge`: the verdict comes from a judge that is a copy of the current student (it
 * accepts what the student itself would answer). Prediction: the judge drifts with the student,
 * so I(X;S_t|Z_t) = 0: its verdicts carry bits about the response but none the student could
 * not predict, and gains stop, as in a closed loop. A fixed verifier in the same loop is the
 * contrast.
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
  paired,
} from "../experiment.js";

/** The drifting-judge experiment. */
export const driftingJudge: LabExperiment = {
  name: "drifting-judge",
  summary: "a judge that copies the student: its verdicts add nothing new, gains stop as if closed",
  params: loopParams(),
  defaultSeeds: 5,
  quantities: ["accuracy", "class_entropy", "pass_rate", "train_reward", "signal_bits", "new_bits"],
  arms(params) {
    const judge = loopOptions(params, { method: "judge" });
    const fixed = loopOptions(params, { method: "rft", reward: "verdict" });
    return [
      {
        name: "judge",
        options: judge,
        spec: labSpec("lab-drifting-judge", "RFT filtered by a copy of the student", judge),
      },
      {
        name: "verifier",
        options: fixed,
        spec: labSpec("lab-fixed-verifier", "RFT filtered by a fixed verifier", fixed),
      },
    ];
  },
  claims(_params, results, verdicts, unit) {
    return [
      ciClaim(
        "judge: held-out accuracy does not rise (change not significantly > 0)",
        "change <= 0",
        change(results.judge, "accuracy"),
        (ci) => ci.lo <= 0,
        unit,
      ),
      ciClaim(
        "judge: its verdicts carry bits about the response, H(S|Q) > 0",
        "> 0",
        overIterations(results.judge, "signal_bits"),
        (ci) => ci.lo > 0,
      ),
      ciClaim(
        "judge: bits the student could not predict, I(S;C|Q,S_hat)",
        "0",
        overIterations(results.judge, "new_bits"),
        (ci) => Math.abs(ci.mean) <= 0.01,
        unit,
      ),
      ciClaim(
        "a fixed verifier in the same loop gains more accuracy (paired difference)",
        "> 0",
        paired(change(results.verifier, "accuracy"), change(results.judge, "accuracy")),
        (ci) => ci.lo > 0,
      ),
      auditClaim("judge", "closed", verdicts),
      auditClaim("verifier", "open", verdicts),
    ];
  },
};
