/**
 * Runs lab experiments: resolves their params, audits each arm's pipeline spec, runs every
 * (arm, seed) loop on the worker pool, averages the series over seeds with 95% intervals and
 * checks the claims. Calibrations run in this thread (they are cheap closed-form simulations).
 */
import { auditSpec } from "../audit/index.js";
import { OpenloopError } from "../errors.js";
import { createRng, type Unit } from "../info/index.js";
import type { RolloutRecord } from "../records/index.js";
import { parseSpec } from "../spec/index.js";
import { type Claim, describeParam, type ParamValues, resolveParams } from "./calibration/index.js";
import { inUnit } from "./claims.js";
import type { Arm, ArmResults, LabExperiment, Reported } from "./experiment.js";
import type { LoopResult } from "./loop.js";
import { type LoopJob, runLoops } from "./pool.js";
import { findEntry, type LabEntry } from "./registry.js";
import { meanCI } from "./stats.js";

/** The audit of one arm's spec. */
export interface ArmAudit {
  arm: string;
  verdict: string;
  findings: string[];
}

/** One experiment's result, as `openloop lab --json` prints it. */
export interface ExperimentResult {
  experiment: string;
  kind: "claim" | "calibration";
  params: ParamValues;
  seeds: number;
  seed: number;
  /** Claim experiments: the unit of information in series and claims. */
  unit?: Unit;
  series: Record<string, number>[];
  claims: Claim[];
  /** Measurements without a closed-form prediction (e.g. samples to a target accuracy). */
  reported?: Reported[];
  /** Claim experiments: the audit verdict of every arm's spec. */
  audit?: ArmAudit[];
  /** Claim experiments: the pipeline spec of every arm. */
  specs?: Record<string, unknown>;
}

/** Rollout records of one (experiment, arm, seed) run. */
export interface RunRecords {
  experiment: string;
  arm: string;
  seed: number;
  records: RolloutRecord[];
}

/** Options of {@link runLab}. */
export interface LabOptions {
  /** Param values by name (strings from the command line, or numbers); each goes to the experiments that declare it. */
  params?: Record<string, string | number>;
  /** Seeds per experiment (default: each experiment's own default). */
  seeds?: number;
  /** The first seed; seed i of an experiment is `seed + i`. */
  seed?: number;
  /** Keep every rollout record (for `--out`). */
  keepRecords?: boolean;
  /** Worker threads (default: available parallelism). */
  workers?: number;
  /** Unit of the information quantities in series and claims (default bits). */
  unit?: Unit;
  /** Called with a line of progress. */
  onProgress?: (line: string) => void;
}

/** Everything a lab run produced. */
export interface LabRun {
  experiments: ExperimentResult[];
  records: RunRecords[];
}

function paramsFor(entry: LabEntry, given: Record<string, string | number>): ParamValues {
  const declared = new Set(entry.experiment.params.map((p) => p.name));
  const mine = Object.fromEntries(Object.entries(given).filter(([k]) => declared.has(k)));
  return resolveParams(entry.experiment.name, entry.experiment.params, mine);
}

function checkParamNames(entries: LabEntry[], given: Record<string, string | number>): void {
  for (const name of Object.keys(given)) {
    if (entries.some((e) => e.experiment.params.some((p) => p.name === name))) continue;
    const valid = entries
      .map((e) => `${e.experiment.name}: ${e.experiment.params.map(describeParam).join("; ")}`)
      .join(" | ");
    throw new OpenloopError(
      "usage",
      `unknown param '${name}' for ${entries.map((e) => e.experiment.name).join(", ")}`,
      { hint: `valid params: ${valid}` },
    );
  }
}

function auditArm(arm: Arm): ArmAudit {
  const spec = parseSpec(JSON.stringify(arm.spec), { file: `${arm.spec.name}.json` });
  const report = auditSpec(spec);
  return {
    arm: arm.name,
    verdict: report.verdict,
    findings: report.findings.map((f) => `${f.severity}: ${f.message}`),
  };
}

/** The loop quantities that are information (bits in the loop, converted to the asked unit). */
const INFORMATION: ReadonlySet<string> = new Set([
  "class_entropy",
  "response_entropy",
  "form_entropy",
  "signal_bits",
  "new_bits",
  "length_channel_bits",
  "fresh_bits",
]);

/**
 * Averages the arms' series over seeds: one entry per iteration, `<arm>_<q>` with `_lo`/`_hi`
 * (95% t interval); information quantities in `unit`.
 */
export function averageSeries(
  experiment: LabExperiment,
  arms: Arm[],
  results: ArmResults,
  unit: Unit = "bits",
): Record<string, number>[] {
  const first = results[arms[0].name];
  const rows = first[0].rows.length;
  const series: Record<string, number>[] = [];
  for (let i = 0; i < rows; i++) {
    const entry: Record<string, number> = { iteration: i, samples: first[0].rows[i].samples };
    for (const arm of arms) {
      for (const q of experiment.quantities) {
        const factor = INFORMATION.has(q) ? inUnit(1, unit) : 1;
        const ci = meanCI(results[arm.name].map((r) => r.rows[i][q] * factor));
        const key = arms.length === 1 ? q : `${arm.name}_${q}`;
        entry[key] = ci.mean;
        entry[`${key}_lo`] = ci.lo;
        entry[`${key}_hi`] = ci.hi;
      }
    }
    series.push(entry);
  }
  return series;
}

/**
 * Runs the named experiments (all when `names` is empty) and returns their results in order.
 * @example const { experiments } = await runLab(["verifier"], { seeds: 5, seed: 1 });
 */
export async function runLab(names: readonly string[], options: LabOptions = {}): Promise<LabRun> {
  const entries = names.map(findEntry);
  const given = options.params ?? {};
  checkParamNames(entries, given);
  const baseSeed = options.seed ?? 1;
  const unit = options.unit ?? "bits";
  const resolved = entries.map((entry) => paramsFor(entry, given));
  const plans = entries.map((entry, k) => {
    const seeds = options.seeds ?? entry.experiment.defaultSeeds;
    if (entry.kind === "calibration") return { entry, seeds, arms: [] as Arm[], audits: [] as ArmAudit[] };
    const arms = entry.experiment.arms(resolved[k]).map((arm) => ({
      ...arm,
      options: { ...arm.options, keepRecords: options.keepRecords === true },
    }));
    return { entry, seeds, arms, audits: arms.map(auditArm) };
  });
  const jobs: LoopJob[] = [];
  const index: { plan: number; arm: string; seed: number }[] = [];
  plans.forEach((plan, p) => {
    for (const arm of plan.arms) {
      for (let s = 0; s < plan.seeds; s++) {
        jobs.push({ options: arm.options, seed: baseSeed + s });
        index.push({ plan: p, arm: arm.name, seed: baseSeed + s });
      }
    }
  });
  options.onProgress?.(`lab: ${entries.length} experiment(s), ${jobs.length} learner runs`);
  const loopResults = await runLoops(jobs, options.workers);
  const byPlan = plans.map(() => ({}) as ArmResults);
  const records: RunRecords[] = [];
  loopResults.forEach((result: LoopResult, j) => {
    const { plan, arm, seed } = index[j];
    const results = byPlan[plan];
    results[arm] ??= [];
    results[arm].push(result);
    if (options.keepRecords)
      records.push({ experiment: plans[plan].entry.experiment.name, arm, seed, records: result.records });
  });
  const experiments = plans.map((plan, p): ExperimentResult => {
    const params = resolved[p];
    if (plan.entry.kind === "calibration") {
      const result = plan.entry.experiment.run(params, plan.seeds, createRng(baseSeed));
      options.onProgress?.(`lab: ${plan.entry.experiment.name} done`);
      return { ...result, kind: "calibration", seed: baseSeed };
    }
    const experiment = plan.entry.experiment;
    const verdicts = Object.fromEntries(plan.audits.map((a) => [a.arm, a.verdict]));
    options.onProgress?.(`lab: ${experiment.name} done`);
    return {
      experiment: experiment.name,
      kind: "claim",
      params,
      seeds: plan.seeds,
      seed: baseSeed,
      series: averageSeries(experiment, plan.arms, byPlan[p], unit),
      unit,
      claims: experiment.claims(params, byPlan[p], verdicts, unit),
      ...(experiment.report ? { reported: experiment.report(params, byPlan[p]) } : {}),
      audit: plan.audits,
      specs: Object.fromEntries(plan.arms.map((arm) => [arm.name, arm.spec])),
    };
  });
  return { experiments, records };
}
