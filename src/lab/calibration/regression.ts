/**
 * `regression`: ordinary least squares retrained on its own labels (Gerstgrasser et al., "Is model
 * collapse inevitable? Breaking the curse of recursion by accumulating real and synthetic data",
 * 2024), on a fixed isotropic Gaussian design X (T x d), with label noise sigma.
 *
 * Generation g relabels X with the model of generation g-1 plus fresh noise and refits. With
 * E[(X^T X)^{-1}] = I / (T - d - 1), the excess test error E||w_g - w*||^2 is exactly
 *   replace:    g * sigma^2 d / (T - d - 1)              (grows without bound)
 *   accumulate: sigma^2 d / (T - d - 1) * sum_{i<=g} 1/i^2  (bounded by pi^2/6 times the first)
 */
import { OpenloopError } from "../../errors.js";
import type { Rng } from "../../info/index.js";
import { meanCI, NORMAL99 } from "../stats.js";
import { modeParam, resolveParams } from "./params.js";
import type { Calibration, CalibrationParam, CalibrationResult, ParamValues } from "./types.js";

const params: readonly CalibrationParam[] = [
  { name: "dim", type: "int", default: 10, min: 1, max: 200, help: "number of features (d)" },
  {
    name: "samples",
    type: "int",
    default: 100,
    min: 3,
    max: 100_000,
    help: "training samples per generation (T > d + 1)",
  },
  {
    name: "noise",
    type: "number",
    default: 1,
    min: 0,
    max: 1000,
    help: "label noise standard deviation (sigma)",
  },
  { name: "generations", type: "int", default: 20, min: 1, max: 10_000, help: "generations of retraining" },
  modeParam("fit the last generation's labels only, or all labels so far"),
];

/** Cholesky factor (lower, row-major) of the symmetric positive-definite d x d matrix `a`. */
function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j];
      for (let k = 0; k < j; k++) sum -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = i === j ? Math.sqrt(sum) : sum / l[j * d + j];
    }
  }
  return l;
}

/** Solves (L L^T) x = b in place of a copy of b. */
function choleskySolve(l: Float64Array, d: number, b: Float64Array): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < i; k++) y[i] -= l[i * d + k] * y[k];
    y[i] /= l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    for (let k = i + 1; k < d; k++) y[i] -= l[k * d + i] * y[k];
    y[i] /= l[i * d + i];
  }
  return y;
}

/** One replicate: the excess test error ||w_g - w*||^2 for g = 1..generations. */
function simulate(d: number, t: number, noise: number, generations: number, accumulate: boolean, rng: Rng) {
  const x = Float64Array.from({ length: t * d }, () => rng.normal());
  const wStar = Float64Array.from({ length: d }, () => rng.normal());
  const gram = new Float64Array(d * d);
  for (let r = 0; r < t; r++) {
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) gram[i * d + j] += x[r * d + i] * x[r * d + j];
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) gram[j * d + i] = gram[i * d + j];
  const l = cholesky(gram, d);
  const errors = new Float64Array(generations);
  const labelSum = new Float64Array(t);
  let w: Float64Array = wStar;
  for (let g = 1; g <= generations; g++) {
    const xty = new Float64Array(d);
    for (let r = 0; r < t; r++) {
      let label = noise * rng.normal();
      for (let i = 0; i < d; i++) label += x[r * d + i] * w[i];
      labelSum[r] += label;
      const target = accumulate ? labelSum[r] / g : label;
      for (let i = 0; i < d; i++) xty[i] += x[r * d + i] * target;
    }
    w = choleskySolve(l, d, xty);
    let error = 0;
    for (let i = 0; i < d; i++) error += (w[i] - wStar[i]) ** 2;
    errors[g - 1] = error;
  }
  return errors;
}

/** Closed-form excess test error of generation g (see the module comment). */
export function predictedRegressionError(
  d: number,
  t: number,
  noise: number,
  g: number,
  accumulate: boolean,
): number {
  const first = (noise * noise * d) / (t - d - 1);
  if (!accumulate) return g * first;
  let sum = 0;
  for (let i = 1; i <= g; i++) sum += 1 / (i * i);
  return first * sum;
}

function run(given: ParamValues, seeds: number, rng: Rng): CalibrationResult {
  const p = resolveParams("regression", params, given);
  const d = p.dim as number;
  const t = p.samples as number;
  const noise = p.noise as number;
  const generations = p.generations as number;
  const accumulate = p.mode === "accumulate";
  if (t <= d + 1) {
    throw new OpenloopError(
      "usage",
      `param 'samples' of 'regression' must exceed dim + 1 = ${d + 1}, got ${t}`,
      {
        hint: "with T <= d + 1 the least-squares error has no finite mean",
      },
    );
  }
  const runs = Array.from({ length: seeds }, () =>
    simulate(d, t, noise, generations, accumulate, rng.fork()),
  );
  const series = Array.from({ length: generations }, (_, i) => ({
    generation: i + 1,
    test_error_mean: meanCI(
      Float64Array.from(runs, (r) => r[i]),
      NORMAL99,
    ).mean,
    predicted_test_error: predictedRegressionError(d, t, noise, i + 1, accumulate),
  }));
  const last = meanCI(
    Float64Array.from(runs, (r) => r[generations - 1]),
    NORMAL99,
  );
  const predicted = predictedRegressionError(d, t, noise, generations, accumulate);
  const first = predictedRegressionError(d, t, noise, 1, false);
  const claims = [
    {
      claim: accumulate
        ? `E[test error] after ${generations} generations = sigma^2 d/(T-d-1) * sum 1/i^2`
        : `E[test error] after ${generations} generations = g sigma^2 d/(T-d-1)`,
      predicted,
      measured: last.mean,
      holds: predicted >= last.lo && predicted <= last.hi,
    },
    accumulate
      ? {
          claim: "accumulating keeps the error below pi^2/6 times the first generation's",
          predicted: `<= ${((first * Math.PI ** 2) / 6).toPrecision(6)}`,
          measured: last.mean,
          holds: last.lo <= (first * Math.PI ** 2) / 6,
        }
      : {
          claim: "replacing makes the error grow linearly: error_g / error_1 = g",
          predicted: generations,
          measured:
            last.mean /
            meanCI(
              Float64Array.from(runs, (r) => r[0]),
              NORMAL99,
            ).mean,
          holds: last.lo / first <= generations && generations <= last.hi / first,
        },
  ];
  return { experiment: "regression", params: p, seeds, series, claims };
}

/** The `regression` calibration experiment. */
export const regression: Calibration = {
  name: "regression",
  summary:
    "linear regression refit on its own labels: error grows linearly (replace) or stays bounded (accumulate)",
  citation: "Gerstgrasser et al., 2024; Dohmatob et al., 2024",
  params,
  defaultSeeds: 200,
  run,
};
