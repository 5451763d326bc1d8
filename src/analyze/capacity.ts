/**
 * Capacity of the binary asymmetric channel (BAC) X -> S with crossover probabilities
 * a = P(S=1 | X=0) (false-positive rate) and b = P(S=0 | X=1) (false-negative rate), in closed
 * form. With prior pi = P(X=1), I(X;S) = h(q) - (1-pi) h(a) - pi h(b), q = P(S=1) = a + pi (1-a-b).
 * Setting dI/dpi = 0 gives log2((1-q)/q) = (h(a) - h(b)) / (1-a-b), so the optimal output law is
 * q* = 1 / (1 + 2^z), z = (h(a)-h(b))/(1-a-b), and C = h(q*) - (1-pi*) h(a) - pi* h(b) with
 * pi* = (q* - a)/(1-a-b); equivalently C = log2(1 + 2^z) - ((1-b) h(a) - a h(b)) / (1-a-b)
 * (see Moser, Chen & Lin, "Error probability analysis of binary asymmetric channels", 2010).
 * It reduces to 1 - h(e) for the BSC and log2(1 + (1-p) p^(p/(1-p))) for the Z-channel.
 */
import { binaryEntropy, convertNats, type Unit } from "../info/index.js";

/**
 * Capacity per channel use of the BAC with false-positive rate `a` and false-negative rate `b`.
 * @example binaryAsymmetricCapacity(0.1, 0.1) // 1 - h(0.1) = 0.531 bits
 */
export function binaryAsymmetricCapacity(a: number, b: number, unit: Unit = "bits"): number {
  if (!(a >= 0 && a <= 1 && b >= 0 && b <= 1)) return Number.NaN;
  let d = 1 - a - b;
  if (Math.abs(d) < 1e-12) return 0;
  if (d < 0) {
    // relabelling the output (S -> 1-S) gives the same capacity with a' = 1-a, b' = 1-b
    a = 1 - a;
    b = 1 - b;
    d = -d;
  }
  const ha = binaryEntropy(a, "bits");
  const hb = binaryEntropy(b, "bits");
  const z = (ha - hb) / d;
  const bits = Math.log2(1 + 2 ** z) - ((1 - b) * ha - a * hb) / d;
  return convertNats(Math.max(0, bits) * Math.LN2, unit);
}
