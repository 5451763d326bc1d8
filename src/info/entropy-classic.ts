/**
 * The plug-in (maximum-likelihood) entropy and its classical bias corrections: Miller-Madow,
 * the Zahl (1977) jackknife and Grassberger (2003). All take a count vector and return nats.
 */
import { digamma } from "./entropy-special.js";

/** Sum of n ln n over the counts (0 ln 0 = 0). */
function sumNLogN(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0) s += c * Math.log(c);
  }
  return s;
}

/** Plug-in entropy H = ln N - (1/N) sum n_i ln n_i, in nats. */
export function pluginEntropy(counts: ArrayLike<number>, total: number): number {
  const h = Math.log(total) - sumNLogN(counts) / total;
  return Math.max(h, 0);
}

/** Miller (1955) - Madow: plug-in + (m - 1) / (2N), m = number of non-empty bins; nats. */
export function millerMadowEntropy(counts: ArrayLike<number>, total: number): number {
  let m = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) m++;
  return pluginEntropy(counts, total) + (m - 1) / (2 * total);
}

/**
 * Zahl (1977) jackknife of the plug-in: N H - (N-1)/N sum_j H_{-j}, H_{-j} the plug-in entropy
 * with sample j left out; nats. Summing the leave-one-out terms by bin gives the closed form
 * H - (N-1) ln(1 - 1/N) + (1/N) sum_i n_i (n_i - 1) ln(1 - 1/n_i), evaluated with log1p so no
 * O(N ln N) terms cancel.
 */
export function jackknifeEntropy(counts: ArrayLike<number>, total: number): number {
  const h = pluginEntropy(counts, total);
  if (total < 2) return h;
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 1) s += c * (c - 1) * Math.log1p(-1 / c);
  }
  return h - (total - 1) * Math.log1p(-1 / total) + s / total;
}

/** Grassberger (2003) G(n) = psi(n) + (1/2)(-1)^n (psi((n+1)/2) - psi(n/2)), eq. (30). */
export function grassbergerG(n: number): number {
  const sign = n % 2 === 0 ? 1 : -1;
  return digamma(n) + 0.5 * sign * (digamma((n + 1) / 2) - digamma(n / 2));
}

/** Grassberger (2003): H = ln N - (1/N) sum n_i G(n_i), eq. (35) with G of eq. (30); nats. */
export function grassbergerEntropy(counts: ArrayLike<number>, total: number): number {
  const cache = new Map<number, number>();
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c <= 0) continue;
    let g = cache.get(c);
    if (g === undefined) {
      g = grassbergerG(c);
      cache.set(c, g);
    }
    s += c * g;
  }
  return Math.log(total) - s / total;
}
