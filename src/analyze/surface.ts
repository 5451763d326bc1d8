/**
 * Metric family 5, surface waste of a reference dataset: H(Y|[Y],Q), the bits per sample that
 * training on these responses as references (instance-level SFT) spends on surface form, as the
 * plug-in entropy of the distinct responses within each (iteration, prompt, class) stratum,
 * weighted by samples; and the number of distinct surface forms per class.
 */
import { type Unit, xlnx } from "../info/index.js";
import { sumsEntropy } from "./bits.js";
import type { SurfaceWaste } from "./document.js";
import { type Batches, round } from "./estimate.js";
import { perUnit, type Scope } from "./layout.js";
import type { Tally } from "./tally.js";

/** Per stratum: its distinct responses, its records and Σ m ln m over its responses' multiplicities m. */
interface StratumForms {
  forms: Int32Array;
  records: Float64Array;
  sumMLogM: Float64Array;
}

/** The sums of surface waste. */
export interface SurfaceCells {
  /** per cell: records with a response, and Σ over its strata of records x H(responses) */
  n: Float64Array;
  nH: Float64Array;
  /** strata with a response, their distinct responses, and the most in one stratum */
  classes: number;
  forms: number;
  maxForms: number;
}

/** Surface waste over all records (null when there are no responses). */
export function surfaceWaste(tally: Tally, scope: Scope, unit: Unit, batches: Batches): SurfaceWaste | null {
  if (tally.pairCount === 0) return null;
  const { n, nH, classes, forms, maxForms } = surfaceCells(tally, unit);
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

/**
 * The per-cell sums of surface waste: each stratum's plug-in entropy of its responses'
 * multiplicities (`sumsEntropy`: 0 below 2 records), weighted by its records.
 */
export function surfaceCells(
  tally: Pick<Tally, "pairStratum" | "pairN" | "strataCount" | "stratumCell" | "cellCount">,
  unit: Unit,
): SurfaceCells {
  const S = tally.strataCount;
  const strata: StratumForms = {
    forms: new Int32Array(S),
    records: new Float64Array(S),
    sumMLogM: new Float64Array(S),
  };
  stratumForms(tally.pairStratum, tally.pairN, strata);
  const out: SurfaceCells = {
    n: new Float64Array(tally.cellCount),
    nH: new Float64Array(tally.cellCount),
    classes: 0,
    forms: 0,
    maxForms: 0,
  };
  for (let s = 0; s < S; s++) {
    const k = strata.forms[s];
    if (k === 0) continue;
    const total = strata.records[s];
    const c = tally.stratumCell[s];
    out.n[c] += total;
    out.nH[c] += total * sumsEntropy(total, strata.sumMLogM[s], unit);
    out.classes++;
    out.forms += k;
    out.maxForms = Math.max(out.maxForms, k);
  }
  return out;
}

/**
 * Sums each stratum's responses in pair order (the order within a stratum that a stable sort of
 * the pairs by stratum gives, so every sum adds the same terms in the same order).
 */
function stratumForms(pairStratum: Int32Array, pairN: Uint16Array | Uint32Array, out: StratumForms): void {
  const { forms, records, sumMLogM } = out;
  for (let p = 0; p < pairStratum.length; p++) {
    const s = pairStratum[p];
    const m = pairN[p];
    forms[s]++;
    records[s] += m;
    sumMLogM[s] += xlnx(m);
  }
}
