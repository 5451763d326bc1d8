/**
 * Chao & Shen (2003) coverage-adjusted entropy: the Good-Turing sample coverage rescales the
 * plug-in frequencies, and a Horvitz-Thompson weight corrects for bins not seen in the sample.
 */

/**
 * Chao-Shen entropy in nats: C = 1 - f1/N (f1 = singletons; f1 = N is replaced by N - 1, as in
 * the R `entropy` package), p_i = C n_i / N, H = -sum p_i ln p_i / (1 - (1 - p_i)^N).
 */
export function chaoShenEntropy(counts: ArrayLike<number>, total: number): number {
  let f1 = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] === 1) f1++;
  if (f1 === total) f1 = total - 1;
  const coverage = 1 - f1 / total;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c <= 0) continue;
    const p = (coverage * c) / total;
    const inclusion = 1 - (1 - p) ** total;
    h -= (p * Math.log(p)) / inclusion;
  }
  return h;
}
