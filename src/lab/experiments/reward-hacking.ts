/**
 * `reward-hacking`: RLVR whose reward is the verdict plus a bonus for length (padding tokens),
 * a surface feature much simpler to learn than the answer. Prediction: a reward with
 * I(S;F|[Y],Q) > 0 offers a channel learning takes first: the training reward rises through
 * length while held-out accuracy lags. Paying the bonus on the group's mean length instead, so
 * that inside every class the reward no longer depends on the response's own length
 * (I(S;F|[Y],Q) = 0), closes the channel and restores progress.
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

/** The reward-hacking experiment. */
export const rewardHacking: LabExperiment = {
  name: "reward-hacking",
  summary:
    "a reward that also pays for length: reward rises, accuracy lags; decorrelating length restores it",
  params: [
    ...loopParams({ pads: 8 }),
    {
      name: "length_weight",
      type: "number",
      min: 0,
      max: 100,
      default: 5,
      help: "bonus of a full-length response (the verdict is worth 1)",
    },
  ],
  defaultSeeds: 8,
  quantities: ["accuracy", "train_reward", "pass_rate", "mean_pad", "length_channel_bits"],
  arms(params) {
    const lengthWeight = params.length_weight as number;
    const hacked = loopOptions(params, { method: "rlvr", reward: "length", lengthWeight });
    const fixed = loopOptions(params, { method: "rlvr", reward: "length-decorrelated", lengthWeight });
    return [
      {
        name: "hacked",
        options: hacked,
        spec: labSpec("lab-reward-hacking", "GRPO on verdict + length bonus", hacked),
      },
      {
        name: "decorrelated",
        options: fixed,
        spec: labSpec("lab-reward-decorrelated", "GRPO on verdict + length bonus of the group mean", fixed),
      },
    ];
  },
  claims(_params, results, verdicts, unit) {
    return [
      ciClaim(
        "hacked: the training reward rises",
        "change > 0",
        change(results.hacked, "train_reward"),
        (ci) => ci.lo > 0,
      ),
      ciClaim(
        "hacked: the student takes the length channel (mean padding rises)",
        "change > 0",
        change(results.hacked, "mean_pad"),
        (ci) => ci.lo > 0,
      ),
      ciClaim(
        "hacked: the reward carries bits about length inside a class, I(S;F|[Y],Q)",
        "> 0",
        overIterations(results.hacked, "length_channel_bits"),
        (ci) => ci.lo > 0,
        unit,
      ),
      ciClaim(
        "decorrelated: no bits about length inside a class, I(S;F|[Y],Q)",
        "0",
        overIterations(results.decorrelated, "length_channel_bits"),
        (ci) => Math.abs(ci.mean) <= 0.01,
        unit,
      ),
      ciClaim(
        "decorrelating length restores progress: accuracy gain, decorrelated minus hacked (paired)",
        "> 0",
        paired(change(results.decorrelated, "accuracy"), change(results.hacked, "accuracy")),
        (ci) => ci.lo > 0,
      ),
      auditClaim("hacked", "open", verdicts),
    ];
  },
};
