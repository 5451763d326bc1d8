/**
 * `closed-loop`: self-training on the student's own samples with no signal (X -> Z_t -> D_t ->
 * Z_{t+1} is a Markov chain). Prediction: I(X;Z_{t+1}) <= I(X;Z_t): held-out accuracy does not
 * rise, class entropy does not rise, and diversity and tail mass fall as the loop collapses.
 */
import { buildArms, loopParams } from "../arms.js";
import { auditClaim, change, ciClaim, DOES_NOT_RISE, FALLS } from "../claims.js";
import type { LabExperiment } from "../experiment.js";

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
  arms: (params) =>
    buildArms(params, [
      {
        name: "self",
        loop: { method: "self" },
        spec: "lab-closed-loop",
        description: "self-training on the student's own samples, no signal",
      },
    ]),
  claims(_params, results, verdicts, unit) {
    const self = results.self;
    return [
      ciClaim(
        "held-out accuracy does not rise without a signal (change not significantly > 0)",
        DOES_NOT_RISE,
        change(self, "accuracy"),
      ),
      ciClaim(
        "class entropy does not rise",
        { text: "change <= 0", holds: (ci) => ci.hi <= 0 },
        change(self, "class_entropy"),
        unit,
      ),
      ciClaim(
        "diversity falls: entropy of the whole response",
        FALLS,
        change(self, "response_entropy"),
        unit,
      ),
      ciClaim("tail mass falls: probability outside the top class", FALLS, change(self, "tail_mass")),
      auditClaim("self", "closed", verdicts),
    ];
  },
};
