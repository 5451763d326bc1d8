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
 * Zahl (1977) jackknife of the plug-in: N H - (N-1)/N sum_j H_{-j}, where H_{-j} is the plug-in
 * entropy with sample j left out (grouped by bin: n_i samples give the same H_{-j}); nats.
 */
export function jackknifeEntropy(counts: ArrayLike<number>, total: number): number {
  const h = pluginEntropy(counts, total);
  if (total < 2) return h;
  const s = sumNLogN(counts);
  const m = total - 1;
  const logM = Math.log(m);
  let leaveOneOut = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c <= 0) continue;
    const sMinus = s - c * Math.log(c) + (c > 1 ? (c - 1) * Math.log(c - 1) : 0);
    leaveOneOut += c * (logM - sMinus / m);
  }
  return total * h - (m / total) * leaveOneOut;
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
