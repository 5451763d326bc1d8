/**
 * `categorical`: a categorical (Zipf) distribution re-estimated from its own samples. In replace
 * mode this is the neutral Wright-Fisher model of population genetics: the count of each
 * category follows X_{g+1} ~ Binomial(n, X_g / n). Classical drift theory gives
 *   E[H_g] = H_0 (1 - 1/n)^g for the heterozygosity H = 1 - sum p^2,
 *   P(category lost by g) from the absorbing binomial chain (computed exactly),
 *   E[p_{i,g}] = p_{i,0}: every frequency is a martingale, so the expected tail mass is constant
 *   while in a typical run the tail is lost (the median tail mass falls).
 * In accumulate mode the pooled estimate moves by 1/(g) of a fresh sampling error, so
 *   E[H_g] = H_0 prod_{k=1}^{g} (1 - 1/(n k^2)) and the support is fixed after generation 1.
 */
import type { Rng } from "../../info/index.js";
import { meanCI, NORMAL99 } from "../stats.js";
import { modeParam, resolveParams } from "./params.js";
import { logFactorials, medianInterval } from "./stats.js";
import type { Calibration, CalibrationParam, CalibrationResult, Claim, ParamValues } from "./types.js";

const params: readonly CalibrationParam[] = [
  { name: "categories", type: "int", default: 100, min: 2, max: 100_000, help: "number of categories (K)" },
  { name: "zipf", type: "number", default: 1.1, min: 0, max: 10, help: "Zipf exponent s of p_i ~ 1/i^s" },
  {
    name: "sample_size",
    type: "int",
    default: 100,
    min: 1,
    max: 1_000_000,
    help: "samples drawn per generation (n)",
  },
  {
    name: "generations",
    type: "int",
    default: 100,
    min: 1,
    max: 100_000,
    help: "generations of re-estimation",
  },
  modeParam("estimate from the last generation only, or from all samples so far"),
];

/** Largest (n+1)^2 * generations for which the exact loss probabilities are computed. */
const EXACT_SUPPORT_BUDGET = 5e8;

/** Zipf probabilities p_i proportional to 1/i^s, i = 1..K. */
export function zipfProbabilities(k: number, s: number): Float64Array {
  const p = Float64Array.from({ length: k }, (_, i) => (i + 1) ** -s);
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / total);
}

/** Summary quantities of one distribution: heterozygosity, support, mass of the tail categories. */
function summarize(p: Float64Array, tailStart: number): [number, number, number] {
  let sumSquares = 0;
  let support = 0;
  let tail = 0;
  for (let i = 0; i < p.length; i++) {
    sumSquares += p[i] * p[i];
    if (p[i] > 0) support++;
    if (i >= tailStart) tail += p[i];
  }
  return [1 - sumSquares, support, tail];
}

/** Draws multinomial(n, p) counts into `counts` by inverse-CDF search over the cumulative `cdf`. */
function sampleCounts(cdf: Float64Array, n: number, rng: Rng, counts: Float64Array): void {
  counts.fill(0);
  const k = cdf.length;
  for (let draw = 0; draw < n; draw++) {
    const u = rng.next() * cdf[k - 1];
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
}

/** One replicate: [heterozygosity, support, tail mass] per generation, generation 0 being the truth. */
function simulate(
  p0: Float64Array,
  n: number,
  generations: number,
  accumulate: boolean,
  tailStart: number,
  rng: Rng,
) {
  const k = p0.length;
  const out = Array.from({ length: generations + 1 }, () => new Float64Array(3));
  out[0].set(summarize(p0, tailStart));
  const p = Float64Array.from(p0);
  const cdf = new Float64Array(k);
  const counts = new Float64Array(k);
  const pool = new Float64Array(k);
  for (let g = 1; g <= generations; g++) {
    let acc = 0;
    for (let i = 0; i < k; i++) {
      acc += p[i];
      cdf[i] = acc;
    }
    sampleCounts(cdf, n, rng, counts);
    for (let i = 0; i < k; i++) {
      pool[i] += counts[i];
      p[i] = accumulate ? pool[i] / (n * g) : counts[i] / n;
    }
    out[g].set(summarize(p, tailStart));
  }
  return out;
}

/**
 * Expected support after each generation of the replace chain: sum over categories of
 * 1 - P(X_g = 0), with u_g(j) = P(X_g = 0 | X_1 = j) propagated backwards through the binomial
 * transition matrix (u_{g+1} = T u_g) and X_1 ~ Binomial(n, p_i).
 */
export function expectedSupportReplace(p0: Float64Array, n: number, generations: number): Float64Array {
  const logFact = logFactorials(n);
  const binomialRow = (q: number): Float64Array => {
    const row = new Float64Array(n + 1);
    if (q <= 0) row[0] = 1;
    else if (q >= 1) row[n] = 1;
    else {
      const lq = Math.log(q);
      const l1q = Math.log1p(-q);
      for (let k = 0; k <= n; k++)
        row[k] = Math.exp(logFact[n] - logFact[k] - logFact[n - k] + k * lq + (n - k) * l1q);
    }
    return row;
  };
  const transition = Array.from({ length: n + 1 }, (_, j) => binomialRow(j / n));
  const firstDraws = Array.from(p0, (pi) => binomialRow(pi));
  const expected = new Float64Array(generations + 1);
  expected[0] = p0.filter((v) => v > 0).length;
  let u = new Float64Array(n + 1);
  u[0] = 1;
  for (let g = 1; g <= generations; g++) {
    if (g > 1) {
      const next = new Float64Array(n + 1);
      for (let j = 0; j <= n; j++) {
        const row = transition[j];
        let sum = 0;
        for (let k = 0; k <= n; k++) sum += row[k] * u[k];
        next[j] = sum;
      }
      u = next;
    }
    let support = 0;
    for (const draw of firstDraws) {
      let lost = 0;
      for (let j = 0; j <= n; j++) lost += draw[j] * u[j];
      support += 1 - lost;
    }
    expected[g] = support;
  }
  return expected;
}

/** Expected heterozygosity of generation g (see the module comment). */
export function expectedHeterozygosity(h0: number, n: number, g: number, accumulate: boolean): number {
  if (!accumulate) return h0 * (1 - 1 / n) ** g;
  let h = h0;
  for (let k = 1; k <= g; k++) h *= 1 - 1 / (n * k * k);
  return h;
}

function run(given: ParamValues, seeds: number, rng: Rng): CalibrationResult {
  const p = resolveParams("categorical", params, given);
  const k = p.categories as number;
  const n = p.sample_size as number;
  const generations = p.generations as number;
  const accumulate = p.mode === "accumulate";
  const p0 = zipfProbabilities(k, p.zipf as number);
  const tailStart = Math.ceil(k / 2);
  const runs = Array.from({ length: seeds }, () =>
    simulate(p0, n, generations, accumulate, tailStart, rng.fork()),
  );
  const column = (g: number, q: number) => Float64Array.from(runs, (r) => r[g][q]);
  const [h0, support0, tail0] = summarize(p0, tailStart);
  const firstSupport = p0.reduce((sum, pi) => sum + 1 - (1 - pi) ** n, 0);
  const exactSupport =
    !accumulate && (n + 1) ** 2 * generations <= EXACT_SUPPORT_BUDGET
      ? expectedSupportReplace(p0, n, generations)
      : undefined;
  const predictedSupport = (g: number) =>
    g === 0 ? support0 : accumulate ? firstSupport : exactSupport?.[g];

  const series = Array.from({ length: generations + 1 }, (_, g) => {
    const row: Record<string, number> = {
      generation: g,
      heterozygosity_mean: meanCI(column(g, 0), NORMAL99).mean,
      support_mean: meanCI(column(g, 1), NORMAL99).mean,
      tail_mass_mean: meanCI(column(g, 2), NORMAL99).mean,
      tail_mass_median: medianInterval(column(g, 2)).median,
      predicted_heterozygosity: expectedHeterozygosity(h0, n, g, accumulate),
    };
    const support = predictedSupport(g);
    if (support !== undefined) row.predicted_support = support;
    return row;
  });

  const within = (value: number, interval: { lo: number; hi: number }) =>
    value >= interval.lo && value <= interval.hi;
  const hG = meanCI(column(generations, 0), NORMAL99);
  const sG = meanCI(column(generations, 1), NORMAL99);
  const tG = meanCI(column(generations, 2), NORMAL99);
  const predictedH = expectedHeterozygosity(h0, n, generations, accumulate);
  const claims: Claim[] = [
    {
      claim: accumulate
        ? `E[1 - sum p^2] after ${generations} generations = H0 prod_k (1 - 1/(n k^2))`
        : `E[1 - sum p^2] after ${generations} generations = H0 (1 - 1/n)^g (Wright-Fisher drift)`,
      predicted: predictedH,
      measured: hG.mean,
      holds: within(predictedH, hG),
    },
    {
      claim: `E[tail mass] after ${generations} generations = its initial value (each p_i is a martingale)`,
      predicted: tail0,
      measured: tG.mean,
      holds: within(tail0, tG),
    },
  ];
  const support = predictedSupport(generations);
  if (support !== undefined) {
    claims.push({
      claim: accumulate
        ? "E[support] = sum_i 1 - (1 - p_i)^n, fixed after generation 1"
        : `E[support] after ${generations} generations from the absorbing binomial chain`,
      predicted: support,
      measured: sG.mean,
      holds: within(support, sG),
    });
  }
  if (!accumulate) {
    const median = medianInterval(column(generations, 2)).median;
    claims.push({
      claim: "the tail is lost in a typical run: median tail mass falls below its initial value",
      predicted: `< ${tail0.toPrecision(4)}`,
      measured: median,
      holds: median < tail0,
    });
  }
  return { experiment: "categorical", params: p, seeds, series, claims };
}

/** The `categorical` calibration experiment. */
export const categorical: Calibration = {
  name: "categorical",
  summary:
    "Zipf categorical re-estimated from its own samples: diversity and tail drift away (Wright-Fisher)",
  citation: "Wright 1931; Fisher 1930; Shumailov et al., Nature 2024",
  params,
  defaultSeeds: 200,
  run,
};
