/**
 * `meta-level`: instance-level SFT on one reference among M acceptable forms against RFT and
 * RLVR with a binary verdict, for M in {1, 2, 4, 8, 16}. Prediction: a reference spends
 * H(Y|[Y],Q) = log2 M bits per sample on surface form, which the SFT student learns (its form
 * entropy goes to log2 M), while a verdict that depends only on the class carries no surface
 * bits (I(Y;S|[Y],Q) = 0, efficiency eta = 1). Samples needed to reach a held-out accuracy are
 * reported for every method and M.
 */
import type { Unit } from "../../info/index.js";
import { type ArmPlan, buildArms, loopParams } from "../arms.js";
import type { Claim } from "../calibration/index.js";
import { at, auditClaim, formatCI, inUnit } from "../claims.js";
import type { ArmResults, LabExperiment } from "../experiment.js";
import type { LoopResult } from "../loop.js";
import { meanCI } from "../stats.js";

const METHODS = ["sft", "rft", "rlvr"] as const;

function formCounts(max: number): number[] {
  const out: number[] = [];
  for (let m = 1; m <= max; m *= 2) out.push(m);
  return out;
}

const round = (v: number) => Number(v.toFixed(3));

/** Samples consumed when held-out accuracy first reaches `target` in each seed (NaN if never). */
export function samplesToTarget(results: LoopResult[], target: number): number[] {
  return results.map((r) => r.rows.find((row) => row.accuracy >= target)?.samples ?? Number.NaN);
}

/** A claim over every M, in bits (`ok` sees bits), shown in `unit`. */
function listClaim(
  claim: string,
  forms: number[],
  predicted: (m: number) => number,
  measured: (m: number) => number,
  ok: (m: number, value: number) => boolean,
  unit: Unit,
): Claim {
  const values = forms.map(measured);
  const show = (bits: number[]) =>
    `${forms.map((m, i) => `M=${m}: ${round(inUnit(bits[i], unit))}`).join(", ")} ${unit}`;
  return {
    claim,
    predicted: show(forms.map(predicted)),
    measured: show(values),
    holds: values.every((v, i) => ok(forms[i], v)),
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const summaryOf = (results: ArmResults, arm: string, key: "reference_surface_bits" | "signal_surface_bits") =>
  mean(results[arm].map((r) => r.summary[key]));

/** The meta-level experiment. */
export const metaLevel: LabExperiment = {
  name: "meta-level",
  summary: "SFT on 1 of M references vs RFT/RLVR with a verdict: log2 M surface bits, samples to target",
  params: [
    ...loopParams({ warmup: 0, iterations: 25 }).filter((p) => p.name !== "forms"),
    {
      name: "max_forms",
      type: "int",
      min: 1,
      max: 16,
      default: 16,
      help: "largest M (M = 1, 2, 4, ... up to it)",
    },
    { name: "target", type: "number", min: 0.05, max: 1, default: 0.3, help: "held-out accuracy to reach" },
  ],
  defaultSeeds: 5,
  quantities: ["accuracy", "form_entropy", "signal_bits"],
  arms: (params) =>
    buildArms(
      params,
      formCounts(params.max_forms as number).flatMap((forms) =>
        METHODS.map(
          (method): ArmPlan => ({
            name: `${method}_m${forms}`,
            loop: { method, forms, referencePad: "zero", reward: "verdict", paddingStats: false },
            spec: `lab-meta-${method}-m${forms}`,
            description: `${method.toUpperCase()} with M = ${forms} acceptable forms`,
          }),
        ),
      ),
    ),
  claims(params, results, verdicts, unit) {
    const forms = formCounts(params.max_forms as number);
    const claims: Claim[] = [
      listClaim(
        "SFT references carry log2 M bits of surface form per sample, H(form|[Y]) (Miller-Madow)",
        forms,
        (m) => Math.log2(m),
        (m) => summaryOf(results, `sft_m${m}`, "reference_surface_bits"),
        (m, v) => Math.abs(v - Math.log2(m)) <= 0.1,
        unit,
      ),
      listClaim(
        "the SFT student learns that surface: its form entropy given the class at the end",
        forms,
        (m) => Math.log2(m),
        (m) => mean(at(results[`sft_m${m}`], "form_entropy", -1)),
        (m, v) => v >= 0.75 * Math.log2(m) && v <= Math.log2(m) + 0.05,
        unit,
      ),
      ...(["rft", "rlvr"] as const).map((method) =>
        listClaim(
          `${method}: a binary verdict carries no surface bits, I(S;form|[Y],Q) (eta = 1)`,
          forms,
          () => 0,
          (m) => summaryOf(results, `${method}_m${m}`, "signal_surface_bits"),
          (_m, v) => Math.abs(v) <= 0.01,
          unit,
        ),
      ),
    ];
    claims.push(auditClaim(`sft_m${forms[forms.length - 1]}`, "open", verdicts));
    claims.push(auditClaim(`rlvr_m${forms[forms.length - 1]}`, "open", verdicts));
    return claims;
  },
  report(params, results) {
    const forms = formCounts(params.max_forms as number);
    const target = params.target as number;
    return METHODS.flatMap((method) => [
      {
        quantity: `${method}: held-out accuracy after ${params.iterations} iterations`,
        measured: forms
          .map((m) => `M=${m}: ${formatCI(meanCI(at(results[`${method}_m${m}`], "accuracy", -1)))}`)
          .join(", "),
      },
      {
        quantity: `${method}: samples until held-out accuracy first reaches ${target}`,
        measured: forms
          .map((m) => {
            const values = samplesToTarget(results[`${method}_m${m}`], target);
            const reached = values.filter(Number.isFinite);
            if (reached.length === 0) return `M=${m}: not reached`;
            const note =
              reached.length < values.length ? ` (${reached.length}/${values.length} seeds reached)` : "";
            return `M=${m}: ${formatCI(meanCI(reached), 0)}${note}`;
          })
          .join(", "),
      },
    ]);
  },
};
