/**
 * Special functions the entropy estimators need: log-gamma, digamma (psi) and trigamma (psi_1)
 * for positive real arguments, by recurrence up to a large argument and the asymptotic
 * (Stirling / Bernoulli) series there (Abramowitz & Stegun 6.1.41, 6.3.18, 6.4.12).
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SHIFT = 20;

/** ln Gamma(x) for x > 0. */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let logProduct = 0;
  let product = 1;
  while (x < SHIFT) {
    product *= x;
    if (product > 1e280) {
      logProduct += Math.log(product);
      product = 1;
    }
    x += 1;
  }
  logProduct += Math.log(product);
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - logProduct;
}

/** The digamma function psi(x) = d/dx ln Gamma(x), for x > 0. */
export function digamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return Math.log(x) - 0.5 * inv - series - shift;
}

/** The trigamma function psi_1(x) = d^2/dx^2 ln Gamma(x), for x > 0. */
export function trigamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 0;
  let shift = 0;
  while (x < SHIFT) {
    shift += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv *
    (1 + inv * (0.5 + inv * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - inv2 * (5 / 66)))))));
  return series + shift;
}
