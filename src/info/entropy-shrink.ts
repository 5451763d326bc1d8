/**
 * Hausser & Strimmer (2009) James-Stein shrinkage entropy: the plug-in frequencies are shrunk
 * toward the uniform distribution over K bins with the analytically optimal intensity, and the
 * entropy of the shrunk frequencies is returned.
 */

/**
 * The shrinkage intensity lambda* = (1 - sum u_i^2) / ((N - 1) sum (1/K - u_i)^2), clipped to
 * [0, 1] (eq. 8 of Hausser & Strimmer 2009); 1 when N <= 1 or the frequencies are already uniform.
 */
export function shrinkageIntensity(counts: ArrayLike<number>, total: number, alphabetSize: number): number {
  if (total <= 1) return 1;
  const target = 1 / alphabetSize;
  let sumSq = 0;
  let distance = 0;
  for (let i = 0; i < counts.length; i++) {
    const u = counts[i] / total;
    sumSq += u * u;
    distance += (target - u) * (target - u);
  }
  distance += (alphabetSize - counts.length) * target * target;
  if (distance === 0) return 1;
  const lambda = (1 - sumSq) / ((total - 1) * distance);
  return Math.min(Math.max(lambda, 0), 1);
}

/** James-Stein shrinkage entropy (Hausser & Strimmer 2009) over K = alphabetSize bins, in nats. */
export function jamesSteinEntropy(counts: ArrayLike<number>, total: number, alphabetSize: number): number {
  const lambda = shrinkageIntensity(counts, total, alphabetSize);
  const target = lambda / alphabetSize;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = target + ((1 - lambda) * counts[i]) / total;
    if (p > 0) h -= p * Math.log(p);
  }
  const unseen = alphabetSize - counts.length;
  if (unseen > 0 && target > 0) h -= unseen * target * Math.log(target);
  return h;
}
