/**
 * The special functions the kNN estimators need: digamma at the integers (exactly, by the
 * harmonic recurrence psi(n + 1) = psi(n) + 1/n from psi(1) = -gamma) and the log volume of the
 * unit ball of the max and Euclidean norms in d dimensions.
 */
import type { Norm } from "./kdtree.js";

const EULER_GAMMA = 0.5772156649015329;

/** `table[n]` = psi(n) for n = 1..max (`table[0]` is -Infinity). */
export function digammaTable(max: number): Float64Array {
  const table = new Float64Array(max + 1);
  table[0] = Number.NEGATIVE_INFINITY;
  if (max >= 1) table[1] = -EULER_GAMMA;
  for (let n = 1; n < max; n++) table[n + 1] = table[n] + 1 / n;
  return table;
}

/**
 * log of the volume of the unit ball in `dim` dimensions: the cube [-1, 1]^d (volume 2^d) for
 * the max norm, pi^(d/2) / Gamma(d/2 + 1) for the Euclidean norm.
 */
export function logUnitBallVolume(dim: number, norm: Norm): number {
  if (norm === "max") return dim * Math.LN2;
  return (dim / 2) * Math.log(Math.PI) - logGammaHalfInteger(dim / 2 + 1);
}

/** log Gamma(x) for x a positive integer or half-integer, by Gamma(x + 1) = x Gamma(x). */
function logGammaHalfInteger(x: number): number {
  let t = x;
  let sum = 0;
  while (t > 1) {
    t -= 1;
    sum += Math.log(t);
  }
  return t === 0.5 ? sum + 0.5 * Math.log(Math.PI) : sum;
}
