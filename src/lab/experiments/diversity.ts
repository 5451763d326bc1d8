/**
 * `diversity`: RFT on a small pool of prompts drawn again and again against fresh prompts every
 * iteration. Prediction: repeated (prompt, response-class) pairs carry no new bits, so the
 * verifier bits that land in partition blocks never seen before ("fresh bits") vanish on the
 * repeated pool while fresh prompts keep supplying them, and held-out accuracy follows.
 */
import { buildArms, loopParams } from "../arms.js";
import { at, auditClaim, ciClaim, overIterations, POSITIVE, paired } from "../claims.js";
import type { LabExperiment } from "../experiment.js";

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
    return buildArms(params, [
      {
        name: "repeated",
        loop: { method: "rft", prompts: "repeated", pool },
        spec: "lab-repeated-prompts",
        description: "RFT on a fixed prompt pool",
      },
      {
        name: "fresh",
        loop: { method: "rft", prompts: "fresh", pool },
        spec: "lab-fresh-prompts",
        description: "RFT on fresh prompts",
      },
    ]);
  },
  claims(params, results, verdicts, unit) {
    const lastThird = Math.max(1, Math.floor(((params.iterations as number) * 2) / 3));
    const { repeated, fresh } = results;
    return [
      ciClaim(
        "repeated: fresh bits per sample vanish (mean over the last third of iterations)",
        { text: "0 (< 0.02)", holds: (ci) => ci.mean < 0.02 },
        overIterations(repeated, "fresh_bits", lastThird),
        unit,
      ),
      ciClaim(
        "fresh: fresh bits per sample stay positive (last third of iterations)",
        POSITIVE,
        overIterations(fresh, "fresh_bits", lastThird),
        unit,
      ),
      ciClaim(
        "held-out accuracy at the end, fresh minus repeated (paired)",
        POSITIVE,
        paired(at(fresh, "accuracy", -1), at(repeated, "accuracy", -1)),
      ),
      auditClaim("fresh", "open", verdicts),
    ];
  },
};
