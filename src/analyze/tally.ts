/**
 * The second pass, over the spilled rows of the first: count tables. Records are grouped into
 * cells (iteration, prompt) and strata (iteration, prompt, class); for each signal the counts of
 * its levels per stratum, of (feature level, signal level) per stratum for each feature, and of
 * (gold, signal level) per cell; and the distinct (cell, response) pairs with their multiplicity
 * (exact duplicates, surface forms). Memory grows with the number of strata and distinct
 * responses, not with the rows. Layouts are documented on `Tally`.
 *
 * The spill is read block by block: first each variable's levels and each row's cell and
 * stratum for the whole block, then a `CountTables` (here, or in a metric thread, which keeps
 * the feature tables for the channel jobs) numbers the block's pairs and counts every table,
 * each in its own tight loop. Cells, strata and pairs are numbered in first-seen row order.
 */
import { OpenloopError } from "../errors.js";
import type { Scan } from "./scan.js";
import { SPILL_BLOCK_ROWS, type SpillBlock } from "./spill.js";
import { CellKeys, Counts, Growable } from "./table.js";
import type { Discretiser } from "./variables.js";

/** Counts of one signal. */
export interface SignalTally {
  disc: Discretiser;
  /** counts[stratum * L + level] */
  counts: Uint16Array | Uint32Array;
  /** gold[(cell * 2 + gold) * L + level], null when no record has gold */
  gold: Uint32Array | null;
  /** counts[(stratum * B + bin) * L + level] of each feature (B levels), null when a metric thread keeps them (see `CountTables`) */
  features: { disc: Discretiser; counts: Uint16Array | Uint32Array | null }[];
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

/** The rows of one spill block as the count tables read them. */
export interface TallyBlock {
  rows: number;
  /** cells and strata numbered so far, and their numbers projected for the whole spill */
  cellCount: number;
  expectCells: number;
  strataCount: number;
  expectStrata: number;
  /** the factor from a count so far to its projection for the whole spill */
  scale: number;
  /** each row's cell, stratum and response hash (-1 without a response) */
  cell: Int32Array;
  stratum: Int32Array;
  responseHash: Float64Array;
  /** each row's gold (0, 1, -1 where missing), null when no record has gold */
  gold: Int32Array | null;
  /** each signal's level and each feature's level (bin) of each row, -1 where missing */
  levels: Int8Array[];
  bins: Int8Array[];
}

/**
 * The counts of every signal (see `SignalTally`; the features' null when they are kept
 * elsewhere) and the distinct (cell, response) pairs (see `Tally`).
 */
export interface SignalCounts {
  counts: (Uint16Array | Uint32Array)[];
  gold: Uint32Array[] | null;
  features: (Uint16Array | Uint32Array)[][] | null;
  repeated: number[];
  inconsistent: number[];
  pairCount: number;
  pairStratum: Int32Array;
  pairN: Uint16Array | Uint32Array;
}

/**
 * Where the (cell, response) pairs are numbered and the tables of every signal counted, block by
 * block: here (`LocalCountTables`), or in a metric thread, which sends the pairs and the signals'
 * tables back and keeps the feature tables for the channel jobs.
 */
export interface CountTables {
  /** counts a block (a promise when it must wait: ask for the next block once it settles) */
  add(block: TallyBlock): void | Promise<void>;
  take(cellCount: number, strataCount: number): SignalCounts | Promise<SignalCounts>;
}

/**
 * Numbers the pairs and counts the tables of signals of `L` levels and features of `B` levels
 * (and gold) on this thread.
 */
export class LocalCountTables implements CountTables {
  private readonly L: number[];
  private readonly B: number[];
  private readonly counts: Counts[];
  private readonly gold: Growable<Uint32Array>[] | null;
  private readonly features: Counts[][];
  private readonly firstLevel: Growable<Uint8Array>[];
  private readonly repeated: number[];
  private readonly inconsistent: number[];
  private readonly repeats = new Float64Array(2);
  private readonly pairs = new PairNumbering();

  constructor(L: number[], B: number[], hasGold: boolean) {
    this.L = L;
    this.B = B;
    this.counts = L.map(() => new Counts());
    this.gold = hasGold ? L.map(() => new Growable(Uint32Array)) : null;
    this.features = L.map(() => B.map(() => new Counts()));
    this.firstLevel = L.map(() => new Growable(Uint8Array));
    this.repeated = L.map(() => 0);
    this.inconsistent = L.map(() => 0);
  }

  add(block: TallyBlock): void {
    const { rows, cellCount, expectCells, strataCount, expectStrata } = block;
    const pairs = this.pairs;
    pairs.number(block);
    for (let s = 0; s < this.L.length; s++) {
      const L = this.L[s];
      const levels = block.levels[s];
      this.counts[s].ensure(strataCount * L, expectStrata * L);
      countInto(this.counts[s], levels, block.stratum, null, 1, L, rows);
      if (this.gold !== null && block.gold !== null) {
        const table = this.gold[s].ensure(cellCount * 2 * L, expectCells * 2 * L);
        countGold(table, levels, block.cell, block.gold, L, rows);
      }
      for (let f = 0; f < this.B.length; f++) {
        const B = this.B[f];
        this.features[s][f].ensure(strataCount * B * L, expectStrata * B * L);
        countInto(this.features[s][f], levels, block.stratum, block.bins[f], B, L, rows);
      }
      if (pairs.anyPair) {
        const first = this.firstLevel[s].ensure(pairs.pairs.size, pairs.expectPairs);
        countRepeated(first, levels, pairs.rowPair, pairs.rowPairNew, rows, this.repeats);
        this.repeated[s] += this.repeats[0];
        this.inconsistent[s] += this.repeats[1];
      }
    }
  }

  take(cellCount: number, strataCount: number): SignalCounts {
    const { L, B } = this;
    return {
      counts: this.counts.map((t, s) => t.take(strataCount * L[s])),
      // views of the grown arrays: their unwritten tails are never committed to memory
      gold: this.gold?.map((g, s) => g.take(cellCount * 2 * L[s])) ?? null,
      features: this.features.map((tables, s) => tables.map((t, f) => t.take(strataCount * B[f] * L[s]))),
      repeated: this.repeated,
      inconsistent: this.inconsistent,
      pairCount: this.pairs.pairs.size,
      pairStratum: this.pairs.pairStratum.take(this.pairs.pairs.size),
      pairN: this.pairs.pairN.take(this.pairs.pairs.size),
    };
  }
}

/**
 * Counts the spilled rows of `scan` with the discretisations fixed by the first pass; the
 * signals' tables are counted by `tables` (made for the signals' and features' levels and
 * whether records have gold; default: here).
 */
export async function tallyRecords(
  scan: Scan,
  signalDiscs: Discretiser[],
  featureDiscs: Discretiser[],
  tables?: (L: number[], B: number[], hasGold: boolean) => CountTables,
): Promise<Tally> {
  const spill = scan.spill;
  if (spill === null) throw new OpenloopError("internal", "tallyRecords needs a scan with a spill");
  const hasGold = scan.present.has("gold");
  const sigs = signalDiscs.filter((d) => d.levels > 0);
  const feats = featureDiscs.filter((d) => d.levels > 1);
  const L = sigs.map((s) => s.levels);
  const B = feats.map((f) => f.levels);
  const numbering = new RowNumbering(scan, spill.rows);
  const counting = tables?.(L, B, hasGold) ?? new LocalCountTables(L, B, hasGold);
  // per block: the levels of each signal and feature
  const sigLevellers = sigs.map((d) => new Leveller(d, scan));
  const featLevellers = feats.map((d) => new Leveller(d, scan));
  const sigLevels = sigs.map(() => new Int8Array(SPILL_BLOCK_ROWS));
  const featLevels = feats.map(() => new Int8Array(SPILL_BLOCK_ROWS));

  for (const block of spill.readBlocks()) {
    for (let s = 0; s < sigs.length; s++) sigLevellers[s].levels(block, sigLevels[s]);
    for (let f = 0; f < feats.length; f++) featLevellers[f].levels(block, featLevels[f]);
    numbering.number(block);
    const counted = counting.add({
      rows: block.rows,
      cellCount: numbering.cells.size,
      expectCells: numbering.expectCells,
      strataCount: numbering.strata.size,
      expectStrata: numbering.expectStrata,
      scale: numbering.scale,
      cell: numbering.rowCell,
      stratum: numbering.rowStratum,
      responseHash: block.responseHash,
      gold: hasGold ? block.gold : null,
      levels: sigLevels,
      bins: featLevels,
    });
    if (counted !== undefined) await counted;
  }

  const { cells, strata } = numbering;
  const strataCount = strata.size;
  const cellCount = cells.size;
  const counted = await counting.take(cellCount, strataCount);
  return {
    cellCount,
    cellPrompt: numbering.cellPrompt.take(cellCount),
    cellIter: numbering.cellIter.take(cellCount),
    cellN: numbering.cellN.take(cellCount),
    strataCount,
    stratumCell: numbering.stratumCell.take(strataCount),
    stratumClass: numbering.stratumClass.take(strataCount),
    stratumN: numbering.stratumN.take(strataCount),
    signals: sigs.map((disc, s) => ({
      disc,
      counts: counted.counts[s],
      gold: counted.gold?.[s] ?? null,
      features: feats.map((disc, f) => ({ disc, counts: counted.features?.[s][f] ?? null })),
      repeated: counted.repeated[s],
      inconsistent: counted.inconsistent[s],
    })),
    pairCount: counted.pairCount,
    pairStratum: counted.pairStratum,
    pairN: counted.pairN,
  };
}

/**
 * Numbers the cells and strata of the rows in first-seen order, block by block, with their
 * sizes, and each block row's cell and stratum. The arrays grow for the block's new entries, and
 * when they grow, to the sizes projected from the rows read so far (`scale`).
 */
class RowNumbering {
  /** (prompt, iteration index) pairs */
  readonly cells = new CellKeys(false);
  readonly cellPrompt = new Growable(Int32Array);
  readonly cellIter = new Growable(Int32Array);
  readonly cellN = new Growable(Uint32Array);
  readonly strata = new CellKeys(false);
  readonly stratumCell = new Growable(Int32Array);
  readonly stratumClass = new Growable(Int32Array);
  readonly stratumN = new Growable(Uint32Array);
  readonly rowCell = new Int32Array(SPILL_BLOCK_ROWS);
  readonly rowStratum = new Int32Array(SPILL_BLOCK_ROWS);
  readonly rowIter = new Int32Array(SPILL_BLOCK_ROWS);
  expectCells = 0;
  expectStrata = 0;
  /** the factor from a count before the last block to its projection for the whole spill */
  scale = 1;
  private readonly iterIndex: Map<number, number>;
  private readonly totalRows: number;
  private rowsRead = 0;

  constructor(scan: Scan, totalRows: number) {
    this.iterIndex = new Map(scan.iterations.map((it, i) => [it, i]));
    this.totalRows = totalRows;
  }

  number(block: SpillBlock): void {
    const rows = block.rows;
    const scale = this.rowsRead === 0 ? 1 : (1.1 * this.totalRows) / this.rowsRead;
    this.scale = scale;
    this.rowsRead += rows;
    const { cells, strata } = this;
    this.expectCells = Math.ceil(cells.size * scale);
    this.expectStrata = Math.ceil(strata.size * scale);
    this.cellPrompt.ensure(cells.size + rows, this.expectCells);
    this.cellIter.ensure(cells.size + rows, this.expectCells);
    this.cellN.ensure(cells.size + rows, this.expectCells);
    this.stratumCell.ensure(strata.size + rows, this.expectStrata);
    this.stratumClass.ensure(strata.size + rows, this.expectStrata);
    this.stratumN.ensure(strata.size + rows, this.expectStrata);
    cells.reserve(cells.size + rows, this.expectCells);
    strata.reserve(strata.size + rows, this.expectStrata);
    iterationIndices(block.iteration, this.iterIndex, this.rowIter, rows);
    this.numberCells(block.prompt, rows);
    this.numberStrata(block.cls, rows);
  }

  private numberCells(prompt: Int32Array, rows: number): void {
    const cells = this.cells;
    const cellPrompt = this.cellPrompt.data;
    const cellIter = this.cellIter.data;
    const cellN = this.cellN.data;
    const rowIter = this.rowIter;
    const rowCell = this.rowCell;
    for (let r = 0; r < rows; r++) {
      const p = prompt[r];
      const cell = cells.add(p, rowIter[r]);
      if (cells.isNew) {
        cellPrompt[cell] = p;
        cellIter[cell] = rowIter[r];
      }
      cellN[cell]++;
      rowCell[r] = cell;
    }
  }

  private numberStrata(cls: Int32Array, rows: number): void {
    const strata = this.strata;
    const stratumCell = this.stratumCell.data;
    const stratumClass = this.stratumClass.data;
    const stratumN = this.stratumN.data;
    const rowCell = this.rowCell;
    const rowStratum = this.rowStratum;
    for (let r = 0; r < rows; r++) {
      const c = cls[r];
      const stratum = strata.add(rowCell[r], c);
      if (strata.isNew) {
        stratumCell[stratum] = rowCell[r];
        stratumClass[stratum] = c;
      }
      stratumN[stratum]++;
      rowStratum[r] = stratum;
    }
  }
}

/**
 * Numbers the distinct (cell, response) pairs in first-seen order, block by block (its arrays
 * grow as `RowNumbering`'s), with their stratum and multiplicity, and each block row's pair (-1
 * without a response; `rowPairNew` 1 where the row is the pair's first).
 */
class PairNumbering {
  readonly pairs = new CellKeys(true);
  readonly pairStratum = new Growable(Int32Array);
  readonly pairN = new Counts();
  readonly rowPair = new Int32Array(SPILL_BLOCK_ROWS);
  readonly rowPairNew = new Uint8Array(SPILL_BLOCK_ROWS);
  /** whether some row so far has a response */
  anyPair = false;
  expectPairs = 0;

  number(block: TallyBlock): void {
    const { rows, scale } = block;
    const pairs = this.pairs;
    this.expectPairs = Math.ceil(pairs.size * scale);
    this.pairStratum.ensure(pairs.size + rows, this.expectPairs);
    pairs.reserve(pairs.size + rows, this.expectPairs);
    if (this.numberPairs(block.cell, block.stratum, block.responseHash, rows)) {
      this.anyPair = true;
      this.pairN.ensure(pairs.size, this.expectPairs);
      countPairs(this.pairN, this.rowPair, rows);
    }
  }

  /** Numbers the pairs of the rows with a response; returns whether there was one. */
  private numberPairs(
    rowCell: Int32Array,
    rowStratum: Int32Array,
    responseHash: Float64Array,
    rows: number,
  ): boolean {
    const pairs = this.pairs;
    const pairStratum = this.pairStratum.data;
    const rowPair = this.rowPair;
    const rowPairNew = this.rowPairNew;
    let any = false;
    for (let r = 0; r < rows; r++) {
      const hash = responseHash[r];
      if (hash < 0) {
        rowPair[r] = -1;
        continue;
      }
      any = true;
      const pair = pairs.add(rowCell[r], hash);
      rowPair[r] = pair;
      rowPairNew[r] = pairs.isNew ? 1 : 0;
      if (pairs.isNew) pairStratum[pair] = rowStratum[r];
    }
    return any;
  }
}

/** Writes the index in `scan.iterations` of each row's iteration into `out` (0 when unknown). */
function iterationIndices(
  iteration: Float64Array,
  index: Map<number, number>,
  out: Int32Array,
  rows: number,
): void {
  let last = Number.NaN;
  let iter = 0;
  for (let r = 0; r < rows; r++) {
    if (iteration[r] !== last) {
      last = iteration[r];
      iter = index.get(last) ?? 0;
    }
    out[r] = iter;
  }
}

/** Adds one to the multiplicity of each row's pair (rows without one have pair -1). */
function countPairs(pairN: Counts, rowPair: Int32Array, rows: number): void {
  let data = pairN.data;
  for (let r = 0; r < rows; r++) {
    const pair = rowPair[r];
    if (pair < 0) continue;
    const c = data[pair] + 1;
    data[pair] = c;
    if (c === 65536 && data.BYTES_PER_ELEMENT === 2) {
      data = pairN.widen();
      data[pair] = c;
    }
  }
}

/** Adds one at `(cell * 2 + gold) * L + level` of `table` per row with a level and a gold label. */
function countGold(
  table: Uint32Array,
  levels: Int8Array,
  rowCell: Int32Array,
  gold: Int32Array,
  L: number,
  rows: number,
) {
  for (let r = 0; r < rows; r++) {
    const level = levels[r];
    const g = gold[r];
    if (level >= 0 && g >= 0) table[(rowCell[r] * 2 + g) * L + level]++;
  }
}

/**
 * Rows with a level whose pair was seen before (in an earlier row), into `out[0]`, and how many
 * of them have a level other than their pair's first row, into `out[1]`; a pair's first row
 * records its level + 1 in `first` (0 when that row had no level).
 */
function countRepeated(
  first: Uint8Array,
  levels: Int8Array,
  rowPair: Int32Array,
  rowPairNew: Uint8Array,
  rows: number,
  out: Float64Array,
): void {
  let repeated = 0;
  let inconsistent = 0;
  for (let r = 0; r < rows; r++) {
    const pair = rowPair[r];
    const level = levels[r];
    if (pair < 0 || level < 0) continue;
    if (rowPairNew[r] === 1) first[pair] = level + 1;
    else {
      repeated++;
      if (first[pair] !== level + 1) inconsistent++;
    }
  }
  out[0] = repeated;
  out[1] = inconsistent;
}

/**
 * Adds one per row at `(stratum * B + bin) * L + level` of `table` (bin 0 and B = 1 without
 * `bins`), skipping rows whose level or bin is missing (-1).
 */
function countInto(
  table: Counts,
  levels: Int8Array,
  strata: Int32Array,
  bins: Int8Array | null,
  B: number,
  L: number,
  rows: number,
): void {
  let data = table.data;
  for (let r = 0; r < rows; r++) {
    const level = levels[r];
    const bin = bins === null ? 0 : bins[r];
    if (level < 0 || bin < 0) continue;
    const i = (strata[r] * B + bin) * L + level;
    const c = data[i] + 1;
    data[i] = c;
    if (c === 65536 && data.BYTES_PER_ELEMENT === 2) {
      data = table.widen();
      data[i] = c;
    }
  }
}

/** The z-score cut points of `within-prompt-quantile-4` (the normal quartiles; see variables.ts). */
const QUARTILE_Z = 0.6744897501960817;
/** Slots of a `Leveller`'s value table (a power of two), and the mark of a free slot. */
const SLOTS = 256;
const EMPTY = -2;

/**
 * How one variable's spilled values become levels, block by block. Binary and categorical
 * levels depend on the value only, so `fromSpill` runs once per distinct value (remembered in a
 * small hash table on the value's bits).
 * Within-prompt quartiles are computed inline from the prompt's moments (read once per prompt
 * from the first pass), and checked against `fromSpill` on the first row of every block.
 */
class Leveller {
  private readonly disc: Discretiser;
  private readonly mean: Float64Array | null = null;
  private readonly sd: Float64Array | null = null;
  /** levels by value (binary, categorical): open addressing on the value's bits, EMPTY when free */
  private readonly slotValue = new Float64Array(SLOTS);
  private readonly slotLevel = new Int8Array(SLOTS).fill(EMPTY);
  private slotsUsed = 0;

  constructor(disc: Discretiser, scan: Scan) {
    this.disc = disc;
    if (disc.kind === "continuous" && disc.method === "within-prompt-quantile-4") {
      const variable = scan.variables[disc.id];
      const prompts = scan.prompts.size;
      this.mean = new Float64Array(prompts);
      this.sd = new Float64Array(prompts);
      for (let p = 0; p < prompts; p++) {
        const { mean, sd } = variable.promptMoments(p);
        this.mean[p] = mean;
        this.sd[p] = sd;
      }
    }
  }

  /** Writes the level of each row of `block` into `out` (-1 where the value is missing). */
  levels(block: SpillBlock, out: Int8Array): void {
    const rows = block.rows;
    const column = block.values(this.disc.id);
    if (column === null) out.fill(-1, 0, rows);
    else if (this.mean !== null) {
      quartiles(column, block.prompt, this.mean, this.sd as Float64Array, rows, out);
      if (rows > 0 && out[0] >= 0 && out[0] !== this.disc.fromSpill(column[0], block.prompt[0])) {
        throw new OpenloopError(
          "internal",
          `the quartile levels of '${this.disc.name}' differ from its discretiser`,
        );
      }
    } else if (this.disc.kind === "continuous") this.perRow(column, block.prompt, rows, out);
    else this.byValue(column, block.prompt, rows, out);
  }

  private perRow(column: Float64Array, prompt: Int32Array, rows: number, out: Int8Array): void {
    for (let r = 0; r < rows; r++) {
      const v = column[r];
      out[r] = Number.isNaN(v) ? -1 : this.disc.fromSpill(v, prompt[r]);
    }
  }

  private byValue(column: Float64Array, prompt: Int32Array, rows: number, out: Int8Array): void {
    const bits = new Int32Array(column.buffer, column.byteOffset, rows * 2);
    const slotValue = this.slotValue;
    const slotLevel = this.slotLevel;
    for (let r = 0; r < rows; r++) {
      const v = column[r];
      if (Number.isNaN(v)) {
        out[r] = -1;
        continue;
      }
      let h = Math.imul(bits[2 * r] ^ bits[2 * r + 1], 0x9e3779b1) >>> 24; // 8 bits: SLOTS
      let level = slotLevel[h];
      while (level !== EMPTY && slotValue[h] !== v) {
        h = (h + 1) & (SLOTS - 1);
        level = slotLevel[h];
      }
      out[r] = level === EMPTY ? this.insert(h, v, prompt[r]) : level;
    }
  }

  /** The level of a value not seen yet, remembered in free slot `h` while half the slots are free. */
  private insert(h: number, v: number, prompt: number): number {
    const level = this.disc.fromSpill(v, prompt);
    if (this.slotsUsed * 2 < SLOTS) {
      this.slotValue[h] = v;
      this.slotLevel[h] = level;
      this.slotsUsed++;
    }
    return level;
  }
}

/**
 * Within-prompt quartile levels (see `Leveller`): the level counts the cut points at or below
 * the z-score, written without branches (a NaN z-score, as `fromSpill` gives it, is level 3).
 */
function quartiles(
  column: Float64Array,
  prompt: Int32Array,
  means: Float64Array,
  sds: Float64Array,
  rows: number,
  out: Int8Array,
): void {
  for (let r = 0; r < rows; r++) {
    const v = column[r];
    const p = prompt[r];
    const sd = sds[p];
    if (Number.isNaN(v)) out[r] = -1;
    else if (sd === 0) out[r] = 0;
    else {
      const z = (v - means[p]) / sd;
      out[r] = 3 - +(z < QUARTILE_Z) - +(z < 0) - +(z < -QUARTILE_Z);
    }
  }
}
