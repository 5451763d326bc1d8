/**
 * `gaussian`: recursive fitting of a Gaussian to its own samples (Shumailov et al., "AI models
 * collapse when trained on recursively generated data", Nature 2024), in replace or accumulate
 * mode, checked against the closed forms of docs/lab.md.
 *
 * Replace mode: sigma^2_{g+1} = sigma^2_g * W_g with W_g ~ chi^2_{n-1} / c (c = n for the MLE,
 * n - 1 for the unbiased fit), so E[sigma^2_g] = ((n-1)/c)^g and
 * E[ln sigma^2_g] = g * (psi((n-1)/2) + ln(2/c)) < 0: the variance collapses almost surely.
 */
import { digamma, type Rng, trigamma } from "../../info/index.js";
import { meanCI, NORMAL99 } from "../stats.js";
import { modeParam, resolveParams } from "./params.js";
import { medianInterval } from "./stats.js";
import type { Calibration, CalibrationParam, CalibrationResult, Claim, ParamValues } from "./types.js";

const params: readonly CalibrationParam[] = [
  {
    name: "sample_size",
    type: "int",
    default: 100,
    min: 2,
    max: 1_000_000,
    help: "samples drawn per generation (n)",
  },
  { name: "generations", type: "int", default: 200, min: 1, max: 100_000, help: "generations of refitting" },
  {
    name: "fit",
    type: "enum",
    default: "mle",
    values: ["mle", "unbiased"],
    help: "variance estimator (1/n or 1/(n-1))",
  },
  modeParam("train on the last generation only, or on all data so far"),
];

/** Number of generations at which E[sigma^2] is compared: its sampling error grows like exp(g psi'). */
const MEAN_CHECK_GENERATION = 20;

/** One replicate: the fitted variance and mean after each generation (index 0 is the truth). */
function simulate(n: number, generations: number, unbiased: boolean, accumulate: boolean, rng: Rng) {
  const variances = new Float64Array(generations + 1);
  variances[0] = 1;
  let mu = 0;
  let sigma = 1;
  let poolCount = 0;
  let poolMean = 0;
  let poolM2 = 0;
  for (let g = 1; g <= generations; g++) {
    let batchMean = 0;
    let batchM2 = 0;
    for (let i = 0; i < n; i++) {
      const x = mu + sigma * rng.normal();
      const delta = x - batchMean;
      batchMean += delta / (i + 1);
      batchM2 += delta * (x - batchMean);
    }
    let count = n;
    let mean = batchMean;
    let m2 = batchM2;
    if (accumulate) {
      const total = poolCount + n;
      const delta = batchMean - poolMean;
      poolM2 += batchM2 + (delta * delta * poolCount * n) / total;
      poolMean += (delta * n) / total;
      poolCount = total;
      count = poolCount;
      mean = poolMean;
      m2 = poolM2;
    }
    const variance = m2 / (unbiased ? count - 1 : count);
    mu = mean;
    sigma = Math.sqrt(variance);
    variances[g] = variance;
  }
  return variances;
}

function run(given: ParamValues, seeds: number, rng: Rng): CalibrationResult {
  const p = resolveParams("gaussian", params, given);
  const n = p.sample_size as number;
  const generations = p.generations as number;
  const unbiased = p.fit === "unbiased";
  const accumulate = p.mode === "accumulate";
  const runs = Array.from({ length: seeds }, () =>
    simulate(n, generations, unbiased, accumulate, rng.fork()),
  );
  const at = (g: number) => Float64Array.from(runs, (r) => r[g]);
  const logAt = (g: number) => Float64Array.from(runs, (r) => Math.log(r[g]));

  const c = unbiased ? n - 1 : n;
  const meanW = (n - 1) / c;
  const meanLogW = digamma((n - 1) / 2) + Math.log(2 / c);
  const series = Array.from({ length: generations + 1 }, (_, g) => {
    const values = at(g);
    const row: Record<string, number> = {
      generation: g,
      variance_mean: meanCI(values, NORMAL99).mean,
      variance_median: medianInterval(values).median,
      log_variance_mean: meanCI(logAt(g), NORMAL99).mean,
    };
    if (!accumulate) {
      row.predicted_variance_mean = meanW ** g;
      row.predicted_variance_median = Math.exp(g * meanLogW);
    }
    return row;
  });

  const claims = accumulate
    ? accumulateClaims(n, generations, at, logAt)
    : replaceClaims(generations, meanW, meanLogW, at, logAt);
  return { experiment: "gaussian", params: p, seeds, series, claims };
}

function replaceClaims(
  generations: number,
  meanW: number,
  meanLogW: number,
  at: (g: number) => Float64Array,
  logAt: (g: number) => Float64Array,
): Claim[] {
  const logMean = meanCI(logAt(generations), NORMAL99);
  const predictedLog = generations * meanLogW;
  const g = Math.min(generations, MEAN_CHECK_GENERATION);
  const varMean = meanCI(at(g), NORMAL99);
  const median = medianInterval(at(generations));
  const predictedMedian = Math.exp(predictedLog);
  return [
    {
      claim: `E[ln sigma^2] after ${generations} generations = g (psi((n-1)/2) + ln(2/c))`,
      predicted: predictedLog,
      measured: logMean.mean,
      holds: predictedLog >= logMean.lo && predictedLog <= logMean.hi,
    },
    {
      claim: `E[sigma^2] after ${g} generations = ((n-1)/c)^g`,
      predicted: meanW ** g,
      measured: varMean.mean,
      holds: meanW ** g >= varMean.lo && meanW ** g <= varMean.hi,
    },
    {
      claim: `the variance collapses: median sigma^2 after ${generations} generations = exp(E[ln sigma^2]) < 1`,
      predicted: predictedMedian,
      measured: median.median,
      holds: median.median < 1 && predictedMedian >= median.lo && predictedMedian <= median.hi,
    },
  ];
}

/**
 * Accumulating all generations' data (Gerstgrasser et al. 2024) weights generation k's sampling
 * error by 1/k, so Var[ln sigma^2] stays below psi'((n-1)/2) * pi^2/6 at every generation: the
 * variance stays within a band around 1 instead of collapsing.
 */
function accumulateClaims(
  n: number,
  generations: number,
  at: (g: number) => Float64Array,
  logAt: (g: number) => Float64Array,
): Claim[] {
  const band = 3 * Math.sqrt((trigamma((n - 1) / 2) * Math.PI ** 2) / 6);
  const median = medianInterval(at(generations)).median;
  const logMean = meanCI(logAt(generations), NORMAL99).mean;
  return [
    {
      claim: `no collapse with accumulated data: |ln median sigma^2| after ${generations} generations <= 3 sqrt(psi'((n-1)/2) pi^2/6)`,
      predicted: `<= ${band.toFixed(4)}`,
      measured: Math.abs(Math.log(median)),
      holds: Math.abs(Math.log(median)) <= band,
    },
    {
      claim: `no drift with accumulated data: |E[ln sigma^2]| after ${generations} generations <= 3 sqrt(psi'((n-1)/2) pi^2/6)`,
      predicted: `<= ${band.toFixed(4)}`,
      measured: Math.abs(logMean),
      holds: Math.abs(logMean) <= band,
    },
  ];
}

/** The `gaussian` calibration experiment. */
export const gaussian: Calibration = {
  name: "gaussian",
  summary: "Gaussian refit on its own samples: variance collapses (replace) or holds (accumulate)",
  citation: "Shumailov et al., Nature 2024; Gerstgrasser et al., 2024",
  params,
  defaultSeeds: 1000,
  run,
};
