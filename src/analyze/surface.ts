/**
 * Metric family 5, surface waste of a reference dataset: H(Y|[Y],Q), the bits per sample that
 * training on these responses as references (instance-level SFT) spends on surface form, as the
 * plug-in entropy of the distinct responses within each (iteration, prompt, class) stratum,
 * weighted by samples; and the number of distinct surface forms per class.
 */
import type { Unit } from "../info/index.js";
import { rangeEntropy } from "./bits.js";
import type { SurfaceWaste } from "./document.js";
import { type Batches, round } from "./estimate.js";
import { perUnit, type Scope } from "./layout.js";
import type { Tally } from "./tally.js";

/** Surface waste over all records (null when there are no responses). */
export function surfaceWaste(tally: Tally, scope: Scope, unit: Unit, batches: Batches): SurfaceWaste | null {
  if (tally.pairCount === 0) return null;
  const S = tally.strataCount;
  const start = new Int32Array(S + 1);
  for (let p = 0; p < tally.pairCount; p++) start[tally.pairStratum[p] + 1]++;
  for (let s = 0; s < S; s++) start[s + 1] += start[s];
  const fill = start.slice(0, S);
  const multiplicity = new Float64Array(tally.pairCount);
  for (let p = 0; p < tally.pairCount; p++) multiplicity[fill[tally.pairStratum[p]]++] = tally.pairN[p];
  const n = new Float64Array(tally.cellCount);
  const nH = new Float64Array(tally.cellCount);
  let classes = 0;
  let forms = 0;
  let maxForms = 0;
  for (let s = 0; s < S; s++) {
    const k = start[s + 1] - start[s];
    if (k === 0) continue;
    let total = 0;
    for (let i = start[s]; i < start[s + 1]; i++) total += multiplicity[i];
    const c = tally.stratumCell[s];
    n[c] += total;
    nH[c] += total * rangeEntropy(multiplicity, start[s], start[s + 1], unit);
    classes++;
    forms += k;
    maxForms = Math.max(maxForms, k);
  }
  const un = perUnit(scope, n);
  return {
    bits: batches.of(scope).ratio(
      perUnit(scope, nH),
      un,
      un.reduce((a, b) => a + b, 0),
    ),
    surface_forms_per_class: { mean: classes === 0 ? null : round(forms / classes), max: maxForms },
    classes,
  };
}
