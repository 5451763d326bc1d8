/**
 * `closed-loop`: self-training on the student's own samples with no signal (X -> Z_t -> D_t ->
 * Z_{t+1} is a Markov chain). Prediction: I(X;Z_{t+1}) <= I(X;Z_t): held-out accuracy does not
 * rise, class entropy does not rise, and diversity and tail mass fall as the loop collapses.
 */
import {
  auditClaim,
  change,
  ciClaim,
  type LabExperiment,
  labSpec,
  loopOptions,
  loopParams,
} from "../experiment.js";

/** The closed-loop experiment. */
export const closedLoop: LabExperiment = {
  name: "closed-loop",
  summary: "self-training on own samples, no signal: accuracy does not rise, diversity and tail mass fall",
  params: loopParams(),
  defaultSeeds: 5,
  quantities: [
    "accuracy",
    "expected_accuracy",
    "class_entropy",
    "response_entropy",
    "tail_mass",
    "signal_bits",
  ],
  arms(params) {
    const options = loopOptions(params, { method: "self" });
    return [
      {
        name: "self",
        options,
        spec: labSpec("lab-closed-loop", "self-training on the student's own samples, no signal", options),
      },
    ];
  },
  claims(_params, results, verdicts, unit) {
    const self = results.self;
    return [
      ciClaim(
        "held-out accuracy does not rise without a signal (change not significantly > 0)",
        "change <= 0",
        change(self, "accuracy"),
        (ci) => ci.lo <= 0,
      ),
      ciClaim(
        "class entropy does not rise",
        "change <= 0",
        change(self, "class_entropy"),
        (ci) => ci.hi <= 0,
        unit,
      ),
      ciClaim(
        "diversity falls: entropy of the whole response",
        "change < 0",
        change(self, "response_entropy"),
        (ci) => ci.hi < 0,
        unit,
      ),
      ciClaim(
        "tail mass falls: probability outside the top class",
        "change < 0",
        change(self, "tail_mass"),
        (ci) => ci.hi < 0,
      ),
      auditClaim("self", "closed", verdicts),
    ];
  },
};
