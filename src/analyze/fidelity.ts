/**
 * Metric family 4, fidelity against ground truth where records carry `gold`: I(gold;S|Q) per
 * (iteration, prompt) cell weighted by samples, and for binary signals the false-positive rate
 * P(S=pass | gold=false), the false-negative rate P(S=fail | gold=true) and the capacity of the
 * implied binary asymmetric channel gold -> S (capacity.ts), each with a prompt bootstrap.
 */
import type { Unit } from "../info/index.js";
import { countsEntropy, rangeEntropy } from "./bits.js";
import { binaryAsymmetricCapacity } from "./capacity.js";
import type { Fidelity } from "./document.js";
import type { Batches } from "./estimate.js";
import { perUnit, type Scope } from "./layout.js";
import type { SignalTally, Tally } from "./tally.js";

/** Fidelity of a signal (null when no record has gold). */
export function fidelity(
  tally: Tally,
  scope: Scope,
  signal: SignalTally,
  unit: Unit,
  batches: Batches,
): Fidelity | null {
  if (signal.gold === null) return null;
  const L = signal.disc.levels;
  const cells = tally.cellCount;
  const n = new Float64Array(cells);
  const nI = new Float64Array(cells);
  const falsePos = new Float64Array(cells);
  const negatives = new Float64Array(cells);
  const falseNeg = new Float64Array(cells);
  const positives = new Float64Array(cells);
  const gm = new Float64Array(2);
  const sm = new Float64Array(L);
  const gold = signal.gold;
  for (let c = 0; c < cells; c++) {
    // the cell's (gold, level) table is gold[base .. base + 2L)
    const base = c * 2 * L;
    // integer counts, so the margins do not depend on the order of summation
    gm[0] = 0;
    gm[1] = 0;
    for (let l = 0; l < L; l++) {
      const goldFalse = gold[base + l];
      const goldTrue = gold[base + L + l];
      gm[0] += goldFalse;
      gm[1] += goldTrue;
      sm[l] = goldFalse + goldTrue;
    }
    const total = gm[0] + gm[1];
    if (total === 0) continue;
    n[c] = total;
    const info =
      countsEntropy(gm, total, unit) +
      countsEntropy(sm, total, unit) -
      (total < 2 ? 0 : rangeEntropy(gold, base, base + 2 * L, unit));
    nI[c] = total * Math.max(0, info);
    if (L === 2) {
      negatives[c] = gm[0];
      falsePos[c] = gold[base + 1];
      positives[c] = gm[1];
      falseNeg[c] = gold[base + L];
    }
  }
  const un = perUnit(scope, n);
  const records = un.reduce((a, b) => a + b, 0);
  if (records === 0) return null;
  const batch = batches.of(scope);
  const result: Fidelity = {
    gold_bits: batch.ratio(perUnit(scope, nI), un, records),
    fpr: null,
    fnr: null,
    capacity: null,
  };
  if (L === 2) {
    const fp = perUnit(scope, falsePos);
    const neg = perUnit(scope, negatives);
    const fnc = perUnit(scope, falseNeg);
    const pos = perUnit(scope, positives);
    result.fpr = batch.ratio(fp, neg, records);
    result.fnr = batch.ratio(fnc, pos, records);
    result.capacity = batch.add(
      [fp, neg, fnc, pos],
      ([a, b, c, d]) => binaryAsymmetricCapacity(a / b, c / d, unit),
      records,
    );
  }
  return result;
}
