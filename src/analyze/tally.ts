/**
 * The second pass over the records: count tables. Records are grouped into cells (iteration,
 * prompt) and strata (iteration, prompt, class); for each signal the counts of its levels per
 * stratum, of (feature level, signal level) per stratum for each feature, and of (gold, signal
 * level) per cell; distinct (cell, response) pairs with their multiplicity (exact duplicates,
 * surface forms); and a bounded MinHash sample per iteration. Memory grows with the number of
 * strata and distinct responses, not with the rows. Layouts are documented on `Tally`.
 */
import { OpenloopError } from "../errors.js";
import { forEachRecord, type RecordSource, type RecordValue } from "../records/index.js";
import { minhashSketch } from "./minhash.js";
import type { Scan } from "./scan.js";
import { Growable, hashString, KeyIndex, mixKey } from "./table.js";
import type { Discretiser } from "./variables.js";

/** MinHash settings: hashes per sketch, shingle length, similarity threshold, sample bounds. */
export const MINHASH = { hashes: 64, shingle: 5, threshold: 0.8, prompts: 64, perPrompt: 32 } as const;

/** Counts of one signal. */
export interface SignalTally {
  disc: Discretiser;
  /** counts[stratum * L + level] */
  counts: Uint32Array;
  /** gold[(cell * 2 + gold) * L + level], null when no record has gold */
  gold: Uint32Array | null;
  features: { disc: Discretiser; counts: Uint32Array }[];
  /** rows whose (cell, response) repeated an earlier row, and how many of those had a different level */
  repeated: number;
  inconsistent: number;
}

/** A sampled prompt of one iteration for near-duplicate detection. */
export interface MinhashPrompt {
  prompt: number;
  hash: number;
  sketches: Uint32Array[];
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
  /** class labels by class code ("" when no class is known) */
  classLabels: string[];
  signals: SignalTally[];
  /** distinct (cell, response) pairs: their stratum and multiplicity */
  pairCount: number;
  pairStratum: Int32Array;
  pairN: Uint32Array;
  /** per iteration index: sampled prompts with their response sketches */
  minhash: MinhashPrompt[][];
}

function usable(d: Discretiser): boolean {
  return d.levels > 0;
}

/** Runs the second pass with the discretisations fixed by the first. */
export async function tallyRecords(
  files: readonly string[],
  source: RecordSource,
  scan: Scan,
  signalDiscs: Discretiser[],
  featureDiscs: Discretiser[],
  seed: number,
): Promise<Tally> {
  const iterIndex = new Map(scan.iterations.map((it, i) => [it, i]));
  const cells = new KeyIndex(scan.prompts.size * 2);
  const cellPrompt = new Growable(Int32Array);
  const cellIter = new Growable(Int32Array);
  const cellN = new Growable(Uint32Array);
  const strata = new KeyIndex(scan.prompts.size * 4);
  const stratumCell = new Growable(Int32Array);
  const stratumClass = new Growable(Int32Array);
  const stratumN = new Growable(Uint32Array);
  const classes = new Map<string, number>();
  const classLabels: string[] = [];
  const pairs = new KeyIndex(1 << 16);
  const pairStratum = new Growable(Int32Array);
  const pairN = new Growable(Uint32Array);
  const hasGold = scan.present.has("gold");
  const sigs = signalDiscs.filter(usable);
  const feats = featureDiscs.filter(usable);
  const L = sigs.map((s) => s.levels);
  const counts = sigs.map(() => new Growable(Uint32Array));
  const gold = sigs.map(() => new Growable(Uint32Array));
  const featCounts = sigs.map(() => feats.map(() => new Growable(Uint32Array)));
  const firstLevel = sigs.map(() => new Growable(Int32Array));
  const repeated = new Float64Array(sigs.length);
  const inconsistent = new Float64Array(sigs.length);
  const minhash: MinhashPrompt[][] = scan.iterations.map(() => []);
  const levels = new Int32Array(sigs.length);
  const bins = new Int32Array(feats.length);

  await forEachRecord(files, { ...source }, ({ record, features }) => {
    const prompt = scan.prompts.get(record.prompt_id);
    if (prompt === undefined) throw new OpenloopError("input", "record changed between passes");
    // compute every level first (may throw), then update state
    for (let s = 0; s < sigs.length; s++) {
      const value = record.signals[sigs[s].name];
      levels[s] = value === undefined ? -1 : sigs[s].code(value, prompt);
    }
    for (let f = 0; f < feats.length; f++) {
      const value: RecordValue | undefined = features[feats[f].name];
      bins[f] = value === undefined ? -1 : feats[f].code(value, prompt);
    }
    const iter = iterIndex.get(record.iteration) ?? 0;
    const cell = cells.add(prompt * 1048576 + iter);
    if (cells.isNew) {
      cellPrompt.ensure(cell + 1)[cell] = prompt;
      cellIter.ensure(cell + 1)[cell] = iter;
    }
    cellN.ensure(cell + 1)[cell]++;
    const label = record.class ?? "";
    let cls = classes.get(label);
    if (cls === undefined) {
      cls = classLabels.length;
      classes.set(label, cls);
      classLabels.push(label);
    }
    const stratum = strata.add(cell * 67108864 + cls);
    if (strata.isNew) {
      stratumCell.ensure(stratum + 1)[stratum] = cell;
      stratumClass.ensure(stratum + 1)[stratum] = cls;
    }
    stratumN.ensure(stratum + 1)[stratum]++;
    let pair = -1;
    let pairIsNew = false;
    if (record.response !== undefined) {
      pair = pairs.add(mixKey(cell, hashString(record.response)));
      pairIsNew = pairs.isNew;
      if (pairIsNew) pairStratum.ensure(pair + 1)[pair] = stratum;
      pairN.ensure(pair + 1)[pair]++;
    }
    for (let s = 0; s < sigs.length; s++) {
      const level = levels[s];
      if (level < 0) continue;
      const Ls = L[s];
      counts[s].ensure((stratum + 1) * Ls)[stratum * Ls + level]++;
      if (hasGold && record.gold !== undefined) {
        gold[s].ensure((cell + 1) * 2 * Ls)[(cell * 2 + (record.gold ? 1 : 0)) * Ls + level]++;
      }
      for (let f = 0; f < feats.length; f++) {
        if (bins[f] < 0) continue;
        const B = feats[f].levels;
        featCounts[s][f].ensure((stratum + 1) * B * Ls)[(stratum * B + bins[f]) * Ls + level]++;
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
    if (record.response !== undefined)
      sampleForMinhash(minhash[iter], prompt, scan.promptIds[prompt], record.response, seed);
  });

  const strataCount = strata.size;
  const cellCount = cells.size;
  return {
    cellCount,
    cellPrompt: cellPrompt.data.slice(0, cellCount),
    cellIter: cellIter.data.slice(0, cellCount),
    cellN: cellN.data.slice(0, cellCount),
    strataCount,
    stratumCell: stratumCell.data.slice(0, strataCount),
    stratumClass: stratumClass.data.slice(0, strataCount),
    stratumN: stratumN.data.slice(0, strataCount),
    classLabels,
    signals: sigs.map((disc, s) => ({
      disc,
      counts: counts[s].ensure(strataCount * L[s]).slice(0, strataCount * L[s]),
      gold: hasGold ? gold[s].ensure(cellCount * 2 * L[s]).slice(0, cellCount * 2 * L[s]) : null,
      features: feats.map((fd, f) => ({
        disc: fd,
        counts: featCounts[s][f]
          .ensure(strataCount * fd.levels * L[s])
          .slice(0, strataCount * fd.levels * L[s]),
      })),
      repeated: repeated[s],
      inconsistent: inconsistent[s],
    })),
    pairCount: pairs.size,
    pairStratum: pairStratum.data.slice(0, pairs.size),
    pairN: pairN.data.slice(0, pairs.size),
    minhash,
  };
}

/**
 * Keeps the MINHASH.prompts prompts with the smallest seeded hash of their id (bottom-k
 * sampling of prompts, which needs one pass and bounded memory) and sketches up to
 * MINHASH.perPrompt of their responses, in file order.
 */
function sampleForMinhash(
  sample: MinhashPrompt[],
  prompt: number,
  promptId: string,
  response: string,
  seed: number,
) {
  let entry = sample.find((e) => e.prompt === prompt);
  if (entry === undefined) {
    const hash = hashString(promptId, seed);
    if (sample.length >= MINHASH.prompts) {
      let worst = 0;
      for (let i = 1; i < sample.length; i++) if (sample[i].hash > sample[worst].hash) worst = i;
      if (hash >= sample[worst].hash) return;
      sample.splice(worst, 1);
    }
    entry = { prompt, hash, sketches: [] };
    sample.push(entry);
  }
  if (entry.sketches.length < MINHASH.perPrompt) {
    entry.sketches.push(minhashSketch(response, MINHASH.hashes, MINHASH.shingle, seed));
  }
}
