/**
 * `diversity`: RFT on a small pool of prompts drawn again and again against fresh prompts every
 * iteration. Prediction: repeated (prompt, response-class) pairs carry no new bits, so the
 * verifier bits that land in partition blocks never seen before ("fresh bits") vanish on the
 * repeated pool while fresh prompts keep supplying them, and held-out accuracy follows.
 */
import {
  at,
  auditClaim,
  ciClaim,
  type LabExperiment,
  labSpec,
  loopOptions,
  loopParams,
  overIterations,
  paired,
} from "../experiment.js";

/** The diversity experiment. */
export const diversity: LabExperiment = {
  name: "diversity",
  summary: "repeated vs fresh prompts: fresh bits per sample vanish on repeats, accuracy follows",
  params: [
    ...loopParams(),
    { name: "pool", type: "int", min: 1, max: 512, default: 8, help: "prompts in the repeated pool" },
  ],
  defaultSeeds: 8,
  quantities: ["accuracy", "fresh_bits", "signal_bits", "class_entropy"],
  arms(params) {
    const pool = params.pool as number;
    const repeated = loopOptions(params, { method: "rft", prompts: "repeated", pool });
    const fresh = loopOptions(params, { method: "rft", prompts: "fresh", pool });
    return [
      {
        name: "repeated",
        options: repeated,
        spec: labSpec("lab-repeated-prompts", "RFT on a fixed prompt pool", repeated),
      },
      { name: "fresh", options: fresh, spec: labSpec("lab-fresh-prompts", "RFT on fresh prompts", fresh) },
    ];
  },
  claims(params, results, verdicts, unit) {
    const lastThird = Math.max(1, Math.floor(((params.iterations as number) * 2) / 3));
    return [
      ciClaim(
        "repeated: fresh bits per sample vanish (mean over the last third of iterations)",
        "0 (< 0.02)",
        overIterations(results.repeated, "fresh_bits", lastThird),
        (ci) => ci.mean < 0.02,
        unit,
      ),
      ciClaim(
        "fresh: fresh bits per sample stay positive (last third of iterations)",
        "> 0",
        overIterations(results.fresh, "fresh_bits", lastThird),
        (ci) => ci.lo > 0,
        unit,
      ),
      ciClaim(
        "held-out accuracy at the end, fresh minus repeated (paired)",
        "> 0",
        paired(at(results.fresh, "accuracy", -1), at(results.repeated, "accuracy", -1)),
        (ci) => ci.lo > 0,
      ),
      auditClaim("fresh", "open", verdicts),
    ];
  },
};
