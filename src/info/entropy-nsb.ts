/**
 * The Nemenman-Shafee-Bialek (2002) Bayesian entropy estimator: the posterior mean entropy under
 * a mixture of symmetric Dirichlet priors whose mixing density makes the prior on the entropy
 * flat, integrated numerically over the concentration. Without an alphabet size, the asymptotic
 * NSB of Nemenman (2011) in the undersampled regime, else the integral with K = observed bins.
 */
import { OpenloopError } from "../errors.js";
import { digamma, lgamma, trigamma } from "./entropy-special.js";

/** Above this concentration the prior density uses its large-argument expansion (no cancellation). */
const LARGE_BETA = 1e3;
/** Coarse grid over t = ln(beta), then a fine grid around the posterior mass. */
const T_MIN = -40;
const T_MAX = 40;
const COARSE_STEP = 0.25;
/** Simpson intervals on the fine grid (even). */
const FINE_POINTS = 400;
/** The fine grid is refined while the posterior mass spans fewer than this many intervals. */
const MIN_SPAN = 40;
/** Integrand values below max * e^-CUTOFF are negligible. */
const CUTOFF = 50;

/** The counts grouped by value: bins with count `value[j]` occur `multiplicity[j]` times. */
interface Histogram {
  value: number[];
  multiplicity: number[];
  total: number;
  observed: number;
}

function histogram(counts: ArrayLike<number>): Histogram {
  const byValue = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0) {
      byValue.set(c, (byValue.get(c) ?? 0) + 1);
      total += c;
    }
  }
  const value = [...byValue.keys()].sort((a, b) => a - b);
  const multiplicity = value.map((v) => byValue.get(v)!);
  return { value, multiplicity, total, observed: multiplicity.reduce((a, b) => a + b, 0) };
}

/** ln Gamma(x + n) - ln Gamma(x), accurate also when x is huge. */
function logRising(x: number, n: number): number {
  if (x < 20) return lgamma(x + n) - lgamma(x);
  const y = x + n;
  const s = (z: number): number => {
    const inv = 1 / z;
    const inv2 = inv * inv;
    return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  };
  return (x - 0.5) * Math.log1p(n / x) + n * Math.log(y) - n + s(y) - s(x);
}

/** d xi / d beta = K psi_1(K beta + 1) - psi_1(beta + 1), the (unnormalised) NSB prior density. */
function priorDensity(beta: number, k: number): number {
  if (beta < LARGE_BETA) return k * trigamma(k * beta + 1) - trigamma(beta + 1);
  const a = k * beta + 1;
  const b = beta + 1;
  return (
    (k - 1) / (a * b) +
    ((k - 1) * (1 - k * beta * beta)) / (2 * a * a * b * b) +
    (k / a ** 3 - 1 / b ** 3) / 6
  );
}

/** ln P(counts | beta) up to a constant: the Dirichlet-multinomial evidence. */
function logEvidence(h: Histogram, beta: number, k: number): number {
  let s = -logRising(k * beta, h.total);
  if (beta < 20) {
    s -= h.observed * lgamma(beta);
    for (let j = 0; j < h.value.length; j++) s += h.multiplicity[j] * lgamma(beta + h.value[j]);
    return s;
  }
  for (let j = 0; j < h.value.length; j++) s += h.multiplicity[j] * logRising(beta, h.value[j]);
  return s;
}

/** The posterior mean entropy (nats) under a symmetric Dirichlet(beta) prior over K bins. */
function meanEntropyGivenBeta(h: Histogram, beta: number, k: number): number {
  const a = h.total + k * beta;
  let s = digamma(a + 1);
  for (let j = 0; j < h.value.length; j++) {
    const nb = h.value[j] + beta;
    s -= (h.multiplicity[j] * nb * digamma(nb + 1)) / a;
  }
  s -= ((k - h.observed) * beta * digamma(beta + 1)) / a;
  return s;
}

/** log of the integrand in t = ln(beta): evidence x prior density x Jacobian beta. */
function logWeight(h: Histogram, t: number, k: number): number {
  const beta = Math.exp(t);
  return logEvidence(h, beta, k) + Math.log(priorDensity(beta, k)) + t;
}

/**
 * NSB entropy (nats) with a known alphabet size K: the ratio of integrals over t = ln(beta) of
 * P(n|beta) (dxi/dbeta) beta <S>_beta and of P(n|beta) (dxi/dbeta) beta, by Simpson's rule on a
 * fine grid spanning the posterior mass (located on a coarse grid, and refined while the mass
 * covers fewer than MIN_SPAN fine intervals).
 */
function nsbKnownK(h: Histogram, k: number): number {
  if (k === 1) return 0;
  const coarse: number[] = [];
  let best = 0;
  for (let i = 0; T_MIN + i * COARSE_STEP <= T_MAX + 1e-9; i++) {
    coarse.push(logWeight(h, T_MIN + i * COARSE_STEP, k));
    if (coarse[i] > coarse[best]) best = i;
  }
  const [lo, hi] = massSpan(coarse, best);
  let tLo = T_MIN + lo * COARSE_STEP;
  let tHi = T_MIN + hi * COARSE_STEP;
  for (;;) {
    const step = (tHi - tLo) / FINE_POINTS;
    const logs = new Float64Array(FINE_POINTS + 1);
    let top = 0;
    for (let i = 0; i <= FINE_POINTS; i++) {
      logs[i] = logWeight(h, tLo + i * step, k);
      if (logs[i] > logs[top]) top = i;
    }
    const [a, b] = massSpan(logs, top);
    if (b - a >= MIN_SPAN || step < 1e-9) return simpson(h, k, logs, logs[top], tLo, step);
    tLo += a * step;
    tHi = tLo + (b - a) * step;
  }
}

/** The index range around `best` where `logs` is within CUTOFF of its maximum, widened by one. */
function massSpan(logs: ArrayLike<number>, best: number): [number, number] {
  const top = logs[best];
  let lo = best;
  while (lo > 0 && logs[lo] > top - CUTOFF) lo--;
  let hi = best;
  while (hi < logs.length - 1 && logs[hi] > top - CUTOFF) hi++;
  return [Math.max(0, lo - 1), Math.min(logs.length - 1, hi + 1)];
}

/** Simpson's rule for the ratio of the entropy-weighted and plain integrals on the fine grid. */
function simpson(
  h: Histogram,
  k: number,
  logs: Float64Array,
  max: number,
  tLo: number,
  step: number,
): number {
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i <= FINE_POINTS; i++) {
    const weight = i === 0 || i === FINE_POINTS ? 1 : i % 2 === 1 ? 4 : 2;
    const w = weight * Math.exp(logs[i] - max);
    if (w < 1e-300) continue;
    denominator += w;
    numerator += w * meanEntropyGivenBeta(h, Math.exp(tLo + i * step), k);
  }
  return numerator / denominator;
}

/** Euler-Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * NSB entropy in nats. With `alphabetSize` K: the NSB integral (Nemenman, Shafee & Bialek 2002).
 * Without: if the sample is undersampled (coincidences D = N - K1 with 1 <= D <= 0.1 N, K1 the
 * number of distinct values seen), the asymptotic NSB of Nemenman (2011), eq. 29:
 * (C_gamma - ln 2) + 2 ln N - psi(D); otherwise the NSB integral with K = K1.
 */
export function nsbEntropy(counts: ArrayLike<number>, alphabetSize?: number): number {
  const h = histogram(counts);
  if (alphabetSize !== undefined) return nsbKnownK(h, alphabetSize);
  const coincidences = h.total - h.observed;
  if (coincidences === 0) {
    throw new OpenloopError(
      "estimator",
      "nsb without an alphabet size needs at least one repeated value (every value was seen once)",
      { hint: "give the alphabet size, or use another estimator (e.g. chao-shen)" },
    );
  }
  if (coincidences <= 0.1 * h.total) {
    return EULER_GAMMA - Math.LN2 + 2 * Math.log(h.total) - digamma(coincidences);
  }
  return nsbKnownK(h, h.observed);
}
