/**
 * The second pass, over the spilled rows of the first: count tables. Records are grouped into
 * cells (iteration, prompt) and strata (iteration, prompt, class); for each signal the counts of
 * its levels per stratum, of (feature level, signal level) per stratum for each feature, and of
 * (gold, signal level) per cell; and the distinct (cell, response) pairs with their multiplicity
 * (exact duplicates, surface forms). Memory grows with the number of strata and distinct
 * responses, not with the rows. Layouts are documented on `Tally`.
 */
import { OpenloopError } from "../errors.js";
import type { Scan } from "./scan.js";
import { Counts, Growable, KeyIndex, mixKey } from "./table.js";
import type { Discretiser } from "./variables.js";

/** Counts of one signal. */
export interface SignalTally {
  disc: Discretiser;
  /** counts[stratum * L + level] */
  counts: Uint16Array | Uint32Array;
  /** gold[(cell * 2 + gold) * L + level], null when no record has gold */
  gold: Uint32Array | null;
  features: { disc: Discretiser; counts: Uint16Array | Uint32Array }[];
  /** rows whose (cell, response) repeated an earlier row, and how many of those had a different level */
  repeated: number;
  inconsistent: number;
}

/** All counts of the second pass. */
export interface Tally {
  cellCount: number;
  cellPrompt: Int32Array;
  /** iteration index (into scan.iterations) */
  cellIter: Int32Array;
  cellN: Uint32Array;
  strataCount: number;
  stratumCell: Int32Array;
  stratumClass: Int32Array;
  stratumN: Uint32Array;
  signals: SignalTally[];
  /** distinct (cell, response) pairs: their stratum and multiplicity */
  pairCount: number;
  pairStratum: Int32Array;
  pairN: Uint16Array | Uint32Array;
}

/** Counts the spilled rows of `scan` with the discretisations fixed by the first pass. */
export function tallyRecords(scan: Scan, signalDiscs: Discretiser[], featureDiscs: Discretiser[]): Tally {
  const spill = scan.spill;
  if (spill === null) throw new OpenloopError("internal", "tallyRecords needs a scan with a spill");
  const iterIndex = new Map(scan.iterations.map((it, i) => [it, i]));
  const cells = new KeyIndex(scan.prompts.size * 2);
  const cellPrompt = new Growable(Int32Array);
  const cellIter = new Growable(Int32Array);
  const cellN = new Growable(Uint32Array);
  const strata = new KeyIndex(scan.prompts.size * 4);
  const stratumCell = new Growable(Int32Array);
  const stratumClass = new Growable(Int32Array);
  const stratumN = new Growable(Uint32Array);
  const pairs = new KeyIndex(1 << 16);
  const pairStratum = new Growable(Int32Array);
  const pairN = new Counts();
  const hasGold = scan.present.has("gold");
  const sigs = signalDiscs.filter((d) => d.levels > 0);
  const feats = featureDiscs.filter((d) => d.levels > 1);
  const L = sigs.map((s) => s.levels);
  const counts = sigs.map(() => new Counts());
  const gold = sigs.map(() => new Growable(Uint32Array));
  const featCounts = sigs.map(() => feats.map(() => new Counts()));
  const firstLevel = sigs.map(() => new Growable(Uint8Array));
  const repeated = new Float64Array(sigs.length);
  const inconsistent = new Float64Array(sigs.length);
  const levels = new Int32Array(sigs.length);
  const bins = new Int32Array(feats.length);

  spill.read((row) => {
    const { prompt, values, count } = row;
    for (let s = 0; s < sigs.length; s++) {
      const id = sigs[s].id;
      const v = id < count ? values[id] : Number.NaN;
      levels[s] = Number.isNaN(v) ? -1 : sigs[s].fromSpill(v, prompt);
    }
    for (let f = 0; f < feats.length; f++) {
      const id = feats[f].id;
      const v = id < count ? values[id] : Number.NaN;
      bins[f] = Number.isNaN(v) ? -1 : feats[f].fromSpill(v, prompt);
    }
    const iter = iterIndex.get(row.iteration) ?? 0;
    const cell = cells.add(prompt * 1048576 + iter);
    if (cells.isNew) {
      cellPrompt.ensure(cell + 1)[cell] = prompt;
      cellIter.ensure(cell + 1)[cell] = iter;
    }
    cellN.ensure(cell + 1)[cell]++;
    const stratum = strata.add(cell * 67108864 + row.cls);
    if (strata.isNew) {
      stratumCell.ensure(stratum + 1)[stratum] = cell;
      stratumClass.ensure(stratum + 1)[stratum] = row.cls;
    }
    stratumN.ensure(stratum + 1)[stratum]++;
    let pair = -1;
    let pairIsNew = false;
    if (row.responseHash >= 0) {
      pair = pairs.add(mixKey(cell, row.responseHash));
      pairIsNew = pairs.isNew;
      if (pairIsNew) pairStratum.ensure(pair + 1)[pair] = stratum;
      pairN.ensure(pair + 1);
      pairN.inc(pair);
    }
    for (let s = 0; s < sigs.length; s++) {
      const level = levels[s];
      if (level < 0) continue;
      const Ls = L[s];
      counts[s].ensure((stratum + 1) * Ls);
      counts[s].inc(stratum * Ls + level);
      if (hasGold && row.gold >= 0) {
        gold[s].ensure((cell + 1) * 2 * Ls)[(cell * 2 + row.gold) * Ls + level]++;
      }
      for (let f = 0; f < feats.length; f++) {
        if (bins[f] < 0) continue;
        const B = feats[f].levels;
        const table = featCounts[s][f];
        table.ensure((stratum + 1) * B * Ls);
        table.inc((stratum * B + bins[f]) * Ls + level);
      }
      if (pair >= 0) {
        const first = firstLevel[s].ensure(pair + 1);
        if (pairIsNew) first[pair] = level + 1;
        else {
          repeated[s]++;
          if (first[pair] !== level + 1) inconsistent[s]++;
        }
      }
    }
  });

  const strataCount = strata.size;
  const cellCount = cells.size;
  const take = <T extends Uint32Array | Int32Array>(g: Growable<T>, size: number): T =>
    g.ensure(size).slice(0, size) as T;
  return {
    cellCount,
    cellPrompt: take(cellPrompt, cellCount),
    cellIter: take(cellIter, cellCount),
    cellN: take(cellN, cellCount),
    strataCount,
    stratumCell: take(stratumCell, strataCount),
    stratumClass: take(stratumClass, strataCount),
    stratumN: take(stratumN, strataCount),
    signals: sigs.map((disc, s) => ({
      disc,
      counts: counts[s].take(strataCount * L[s]),
      gold: hasGold ? take(gold[s], cellCount * 2 * L[s]) : null,
      features: feats.map((fd, f) => ({
        disc: fd,
        counts: featCounts[s][f].take(strataCount * fd.levels * L[s]),
      })),
      repeated: repeated[s],
      inconsistent: inconsistent[s],
    })),
    pairCount: pairs.size,
    pairStratum: take(pairStratum, pairs.size),
    pairN: pairN.take(pairs.size),
  };
}
