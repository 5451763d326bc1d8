/**
 * Index structures over a tally: the strata of each cell, the cells of each iteration, and
 * "scopes" (overall, or one iteration) that map cells to bootstrap units (prompts), so every
 * metric is computed per cell and summed per prompt.
 */
import type { Tally } from "./tally.js";

/**
 * The cells a metric is computed over and the unit each belongs to. The overall scope
 * (iteration null) has every cell in order (cells[i] = i) and the prompts as units; an
 * iteration's scope has one cell per unit (unit[i] = i), unit i being the prompt of cells[i].
 */
export interface Scope {
  /** iteration number, or null for all iterations */
  iteration: number | null;
  cells: Int32Array;
  /** unit index of each entry of `cells` */
  unit: Int32Array;
  units: number;
  /** the prompt of each unit (null: unit u is prompt u), for the bootstrap's shared draw of prompts */
  unitPrompt: Int32Array | null;
  records: number;
}

/** Strata grouped by cell, and the scopes. */
export interface Layout {
  /** the strata of cell c are cellStrata[cellStart[c] .. cellStart[c+1]) */
  cellStart: Int32Array;
  cellStrata: Int32Array;
  overall: Scope;
  perIteration: Scope[];
}

/** Builds the layout of a tally over `iterations` (iteration numbers by index) and `prompts` prompts. */
export function buildLayout(tally: Tally, iterations: number[], prompts: number): Layout {
  const { cellCount, strataCount, stratumCell, cellIter, cellPrompt, cellN } = tally;
  const cellStart = new Int32Array(cellCount + 1);
  for (let s = 0; s < strataCount; s++) cellStart[stratumCell[s] + 1]++;
  for (let c = 0; c < cellCount; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, cellCount);
  const cellStrata = new Int32Array(strataCount);
  for (let s = 0; s < strataCount; s++) cellStrata[fill[stratumCell[s]]++] = s;

  const all = new Int32Array(cellCount);
  for (let c = 0; c < cellCount; c++) all[c] = c;
  let records = 0;
  for (let c = 0; c < cellCount; c++) records += cellN[c];
  const overall: Scope = {
    iteration: null,
    cells: all,
    unit: cellPrompt.slice(),
    units: prompts,
    unitPrompt: null,
    records,
  };

  // the cells of each iteration in ascending order: a counting sort by iteration
  const iterStart = new Int32Array(iterations.length + 1);
  const bucketRecords = new Float64Array(iterations.length);
  for (let c = 0; c < cellCount; c++) {
    iterStart[cellIter[c] + 1]++;
    bucketRecords[cellIter[c]] += cellN[c];
  }
  for (let i = 0; i < iterations.length; i++) iterStart[i + 1] += iterStart[i];
  const next = iterStart.slice(0, iterations.length);
  const byIteration = new Int32Array(cellCount);
  for (let c = 0; c < cellCount; c++) byIteration[next[cellIter[c]]++] = c;
  const perIteration = iterations.map((iteration, index): Scope => {
    const cells = byIteration.slice(iterStart[index], iterStart[index + 1]);
    const unit = new Int32Array(cells.length);
    const unitPrompt = new Int32Array(cells.length);
    for (let i = 0; i < unit.length; i++) {
      unit[i] = i;
      unitPrompt[i] = cellPrompt[cells[i]];
    }
    return { iteration, cells, unit, units: cells.length, unitPrompt, records: bucketRecords[index] };
  });
  return { cellStart, cellStrata, overall, perIteration };
}

/** Sums per-cell values into per-unit values for a scope. */
export function perUnit(
  scope: Pick<Scope, "iteration" | "cells" | "unit" | "units">,
  cellValues: Float64Array,
): Float64Array {
  const { cells, unit } = scope;
  const out = new Float64Array(scope.units);
  if (scope.iteration !== null) {
    // one cell per unit, unit[i] = i: each unit's sum is 0 + its one cell's value
    for (let i = 0; i < cells.length; i++) out[i] = 0 + cellValues[cells[i]];
  } else {
    // every cell, cells[i] = i
    for (let i = 0; i < cells.length; i++) out[unit[i]] += cellValues[i];
  }
  return out;
}
