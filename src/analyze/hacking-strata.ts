/**
 * The per-stratum sums of the hacking channels: for one feature F of a signal S, the plug-in
 * n I(S;F) of every (iteration, prompt, class) stratum's count table and of each (iteration,
 * prompt) cell's pooled table, from integer counts (`xlnx` of src/info reads a table), and the
 * informative strata (S and F both vary) the permutation test draws from.
 */
import { convertNats, type Unit, xlnx } from "../info/index.js";
import type { Layout } from "./layout.js";
import type { Tally } from "./tally.js";

/**
 * One count table's size, n I(S;F) in nats, whether both S and F vary in it, and (for tables of
 * at most MASK_CELLS cells) the bit mask of its nonzero cells.
 */
interface TableSums {
  n: number;
  nInfo: number;
  varies: boolean;
  nonzero: number;
}

/** Tables of at most this many cells track their nonzero cells in one 32-bit mask. */
const MASK_CELLS = 31;

/**
 * Completes `out` from a table's sums: n I(S;F) = Σ n_fs ln n_fs - Σ n_f ln n_f - Σ n_s ln n_s
 * + n ln n in nats (plug-in, clamped at 0), the S margin read from `sm`.
 */
function finish(
  out: TableSums,
  n: number,
  cellsTerm: number,
  fTerm: number,
  fLevels: number,
  sm: Float64Array,
): TableSums {
  out.n = n;
  out.varies = false;
  out.nInfo = 0;
  if (fLevels < 2) return out;
  let sLevels = 0;
  let sTerm = 0;
  for (let l = 0; l < sm.length; l++) {
    sLevels += sm[l] > 0 ? 1 : 0;
    sTerm += xlnx(sm[l]);
  }
  out.varies = sLevels > 1;
  if (out.varies) out.nInfo = Math.max(0, cellsTerm - fTerm - sTerm + xlnx(n));
  return out;
}

/**
 * The sums of one stratum's B x L table at `offset` of `counts` (row-major, F rows), which it
 * also adds to `cellTable`; `sm` is scratch for the S margin. Zero counts add nothing to any sum
 * (x ln x of 0 is 0) and are skipped.
 */
function stratumSums(
  counts: Uint16Array | Uint32Array,
  offset: number,
  B: number,
  L: number,
  sm: Float64Array,
  cellTable: Float64Array,
  out: TableSums,
): TableSums {
  for (let l = 0; l < L; l++) sm[l] = 0;
  let n = 0;
  let cellsTerm = 0;
  let fTerm = 0;
  let fLevels = 0;
  let nonzero = 0;
  for (let b = 0, i = 0; b < B; b++) {
    let nf = 0;
    for (let l = 0; l < L; l++, i++) {
      const v = counts[offset + i];
      if (v === 0) continue;
      nf += v;
      sm[l] += v;
      cellTable[i] += v;
      nonzero |= 1 << i;
      cellsTerm += xlnx(v);
    }
    if (nf === 0) continue;
    fLevels++;
    fTerm += xlnx(nf);
    n += nf;
  }
  out.nonzero = nonzero;
  return finish(out, n, cellsTerm, fTerm, fLevels, sm);
}

/** The sums of a summed B x L table (a cell's strata pooled), which it resets to 0. */
function pooledSums(table: Float64Array, B: number, L: number, sm: Float64Array, out: TableSums): TableSums {
  for (let l = 0; l < L; l++) sm[l] = 0;
  let n = 0;
  let cellsTerm = 0;
  let fTerm = 0;
  let fLevels = 0;
  for (let b = 0, i = 0; b < B; b++) {
    let nf = 0;
    for (let l = 0; l < L; l++, i++) {
      const v = table[i];
      nf += v;
      sm[l] += v;
      cellsTerm += xlnx(v);
      table[i] = 0;
    }
    fLevels += nf > 0 ? 1 : 0;
    fTerm += xlnx(nf);
    n += nf;
  }
  return finish(out, n, cellsTerm, fTerm, fLevels, sm);
}

/**
 * `pooledSums` of a table of at most MASK_CELLS cells whose nonzero cells are the bits of
 * `nonzero`: only those are read (in ascending order, so every sum adds the same terms in the
 * same order) and reset.
 */
function maskedPooledSums(
  table: Float64Array,
  nonzero: number,
  L: number,
  sm: Float64Array,
  out: TableSums,
): TableSums {
  for (let l = 0; l < L; l++) sm[l] = 0;
  let n = 0;
  let cellsTerm = 0;
  let fTerm = 0;
  let fLevels = 0;
  let row = 0;
  let nf = 0;
  for (let m = nonzero; m !== 0; m &= m - 1) {
    const i = 31 - Math.clz32(m & -m);
    const v = table[i];
    table[i] = 0;
    const b = (i / L) | 0;
    if (b !== row) {
      if (nf > 0) {
        fLevels++;
        fTerm += xlnx(nf);
        n += nf;
      }
      row = b;
      nf = 0;
    }
    nf += v;
    sm[i - b * L] += v;
    cellsTerm += xlnx(v);
  }
  if (nf > 0) {
    fLevels++;
    fTerm += xlnx(nf);
    n += nf;
  }
  return finish(out, n, cellsTerm, fTerm, fLevels, sm);
}

/** The informative strata of one feature (S and F both vary), in cell order. */
export interface Informative {
  strata: Int32Array;
  sizes: Int32Array;
  /** index into layout.perIteration */
  iteration: Int32Array;
  count: number;
}

/** One feature's per-cell sums (n, Σ n I(S;F|stratum), pooled n I(S;F); in the unit), informative strata. */
interface FeaturePass {
  condN: Float64Array;
  condNI: Float64Array;
  margNI: Float64Array;
  informative: Informative;
}

/** The per-cell sums and the informative strata of one feature (`counts` its B x L tables). */
export function featurePass(
  tally: Pick<Tally, "cellCount" | "cellIter">,
  layout: Pick<Layout, "cellStart" | "cellStrata">,
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  constant: Int32Array,
  unit: Unit,
): FeaturePass {
  const strataCount = layout.cellStrata.length;
  const out: FeaturePass = {
    condN: new Float64Array(tally.cellCount),
    condNI: new Float64Array(tally.cellCount),
    margNI: new Float64Array(tally.cellCount),
    informative: {
      strata: new Int32Array(strataCount),
      sizes: new Int32Array(strataCount),
      iteration: new Int32Array(strataCount),
      count: 0,
    },
  };
  fillFeaturePass(tally.cellIter, layout.cellStart, layout.cellStrata, counts, B, L, constant, unit, out);
  return out;
}

// Loops live in small functions with nothing after them: one optimised compile serves every call.

function fillFeaturePass(
  cellIter: ArrayLike<number>,
  cellStart: Int32Array,
  cellStrata: Int32Array,
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  constant: Int32Array,
  unit: Unit,
  out: FeaturePass,
): void {
  const { condN, condNI, margNI, informative } = out;
  const sm = new Float64Array(L);
  const cellTable = new Float64Array(B * L);
  const sums: TableSums = { n: 0, nInfo: 0, varies: false, nonzero: 0 };
  const cells = B * L;
  const masked = cells <= MASK_CELLS;
  for (let c = 0; c + 1 < cellStart.length; c++) {
    let nInfo = 0;
    let n = 0;
    // the nonzero cells of the pooled table (when masked)
    let nonzero = 0;
    for (let k = cellStart[c]; k < cellStart[c + 1]; k++) {
      const st = cellStrata[k];
      const level = constant[st];
      if (level >= 0) {
        // S constant in the stratum: only column `level` is filled, and n I(S;F) = 0
        for (let i = level, at = st * cells + level; i < cells; i += L, at += L) {
          const v = counts[at];
          if (v === 0) continue;
          n += v;
          cellTable[i] += v;
          nonzero |= 1 << i;
        }
        continue;
      }
      stratumSums(counts, st * cells, B, L, sm, cellTable, sums);
      n += sums.n;
      nInfo += sums.nInfo;
      nonzero |= sums.nonzero;
      if (sums.varies) {
        informative.strata[informative.count] = st;
        informative.sizes[informative.count] = sums.n;
        informative.iteration[informative.count++] = cellIter[c];
      }
    }
    condN[c] = n;
    condNI[c] = convertNats(nInfo, unit);
    const pooled = masked
      ? maskedPooledSums(cellTable, nonzero, L, sm, sums)
      : pooledSums(cellTable, B, L, sm, sums);
    margNI[c] = convertNats(pooled.nInfo, unit);
  }
}

/** Per stratum, the one level of the signal in it (0 when empty), or -1 when the signal varies. */
export function constantLevels(counts: Uint16Array | Uint32Array, L: number): Int32Array {
  const out = new Int32Array(counts.length / L);
  for (let st = 0, i = 0; st < out.length; st++) {
    let level = 0;
    let levels = 0;
    for (let l = 0; l < L; l++, i++) {
      if (counts[i] === 0) continue;
      level = l;
      levels++;
    }
    out[st] = levels > 1 ? -1 : level;
  }
  return out;
}
