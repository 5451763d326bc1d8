/**
 * The spill of the first pass: each record as a few numbers (prompt index, iteration, class
 * code, response hash, gold, then one value per variable), kept for the second pass so it reads
 * compact typed columns instead of parsing the input again. Rows are staged in blocks of 16,384;
 * a full block is stored column by column in the narrowest type that holds every value of the
 * column exactly (a constant, 8/16/32-bit integers, 32- or 64-bit floats), in memory up to a
 * budget (256 MiB by default) and in a temporary file beyond it, so memory stays bounded. The
 * second pass reads it back block by block as plain typed arrays (`readBlocks`); `dispose`
 * frees the blocks and removes the file.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpenloopError } from "../errors.js";

/** Rows per block. */
export const SPILL_BLOCK_ROWS = 16384;
const DEFAULT_MEMORY_BYTES = 256 * 1048576;
/** Fixed columns before the variables: prompt, iteration, class, response hash, gold. */
const FIXED = 5;
const PROMPT = 0;
const ITERATION = 1;
const CLASS = 2;
const HASH = 3;
const GOLD = 4;

/** How a stored column holds its values: an index into STORE_ARRAYS, or CONSTANT (no array). */
const CONSTANT = -1;
const INT8 = 0;
const INT16 = 1;
const INT32 = 2;
const FLOAT32 = 3;
const FLOAT64 = 4;
const STORE_ARRAYS = [Int8Array, Int16Array, Int32Array, Float32Array, Float64Array] as const;

/** One stored column: its store, the constant (for `CONSTANT`), its byte offset in the block. */
interface StoredColumn {
  store: number;
  constant: number;
  offset: number;
}

/** A sealed block: its rows and columns, with its bytes in memory or at `position` in the file. */
interface StoredBlock {
  rows: number;
  columns: StoredColumn[];
  bytes: number;
  data: ArrayBuffer | null;
  position: number;
}

/**
 * One block of spilled rows as typed columns, valid for `rows` entries. The arrays are reused
 * from block to block: read them inside the visit, never keep them.
 */
export interface SpillBlock {
  rows: number;
  prompt: Int32Array;
  iteration: Float64Array;
  cls: Int32Array;
  /** 53-bit hash of the response, or -1 without one */
  responseHash: Float64Array;
  /** -1 unknown, 0 false, 1 true */
  gold: Int32Array;
  /** the values of variable `id` (NaN where missing; decoded on first use), or null when no row of the block has one */
  values(id: number): Float64Array | null;
}

/** Options of a spill (tests use a small memory budget to exercise the file). */
export interface SpillOptions {
  /** bytes of sealed blocks kept in memory before further blocks go to the temporary file */
  memoryBytes?: number;
}

/** Collects rows, then gives them back block by block in write order. */
export class Spill {
  /** the temporary file, created when the first block exceeds the memory budget */
  path: string | null = null;
  /** rows written */
  rows = 0;
  private fd = -1;
  private fileEnd = 0;
  private memoryLeft: number;
  private readonly blocks: StoredBlock[] = [];
  /** staged rows of the open block, one Float64Array per column (fixed columns, then variables) */
  private readonly staged: Float64Array[] = [];
  /** rows staged in the open block */
  private at = 0;

  constructor(options: SpillOptions = {}) {
    this.memoryLeft = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
    for (let c = 0; c < FIXED; c++) this.staged.push(new Float64Array(SPILL_BLOCK_ROWS));
  }

  /** Appends one row; `values[0..count)` are the variable values (NaN when missing). */
  write(
    prompt: number,
    iteration: number,
    cls: number,
    responseHash: number,
    gold: number,
    values: Float64Array,
    count: number,
  ): void {
    const r = this.at;
    const staged = this.staged;
    staged[PROMPT][r] = prompt;
    staged[ITERATION][r] = iteration;
    staged[CLASS][r] = cls;
    staged[HASH][r] = responseHash;
    staged[GOLD][r] = gold;
    const width = staged.length - FIXED;
    if (count > width) this.widen(count);
    for (let i = 0; i < count; i++) staged[FIXED + i][r] = values[i];
    for (let i = count; i < width; i++) staged[FIXED + i][r] = Number.NaN;
    this.rows++;
    if (++this.at === SPILL_BLOCK_ROWS) this.seal();
  }

  /**
   * Appends `rows` rows given column by column (each array holds them at 0..rows): the same as
   * `write` row by row with `values[i]` the row's entry of `variables[i]` and `count` =
   * `variables.length`, copied a block segment at a time.
   */
  writeColumns(
    rows: number,
    prompt: Int32Array,
    iteration: Float64Array,
    cls: Int32Array,
    responseHash: Float64Array,
    gold: Float64Array,
    variables: readonly Float64Array[],
  ): void {
    const fixed = [prompt, iteration, cls, responseHash, gold];
    const staged = this.staged;
    if (variables.length > staged.length - FIXED) this.widen(variables.length);
    for (let done = 0; done < rows; ) {
      const at = this.at;
      const take = Math.min(rows - done, SPILL_BLOCK_ROWS - at);
      for (let c = 0; c < FIXED; c++) staged[c].set(fixed[c].subarray(done, done + take), at);
      for (let i = 0; i < variables.length; i++)
        staged[FIXED + i].set(variables[i].subarray(done, done + take), at);
      for (let c = FIXED + variables.length; c < staged.length; c++)
        staged[c].fill(Number.NaN, at, at + take);
      done += take;
      this.rows += take;
      this.at += take;
      if (this.at === SPILL_BLOCK_ROWS) this.seal();
    }
  }

  /** Adds staged variable columns up to `count`, missing (NaN) in the block's earlier rows. */
  private widen(count: number): void {
    while (this.staged.length < FIXED + count)
      this.staged.push(new Float64Array(SPILL_BLOCK_ROWS).fill(Number.NaN));
  }

  /** Stores the staged rows as a block (in memory within the budget, else in the file). */
  private seal(): void {
    const rows = this.at;
    if (rows === 0) return;
    const columns: StoredColumn[] = [];
    let bytes = 0;
    for (let c = 0; c < this.staged.length; c++) {
      const column = narrowest(this.staged[c], rows);
      const integer = column.store === CONSTANT ? Number.isInteger(column.constant) : column.store < FLOAT32;
      if ((c === PROMPT || c === CLASS || c === GOLD) && !integer) {
        throw new OpenloopError("internal", "spill: a prompt, class or gold code is not a 32-bit integer");
      }
      const size = column.store === CONSTANT ? 0 : rows * STORE_ARRAYS[column.store].BYTES_PER_ELEMENT;
      column.offset = bytes;
      bytes += Math.ceil(size / 8) * 8;
      columns.push(column);
    }
    const data = new ArrayBuffer(bytes);
    for (let c = 0; c < columns.length; c++) {
      const { store, offset } = columns[c];
      if (store === CONSTANT) continue;
      new STORE_ARRAYS[store](data, offset, rows).set(this.staged[c].subarray(0, rows));
    }
    const block: StoredBlock = { rows, columns, bytes, data, position: 0 };
    if (bytes > this.memoryLeft) {
      this.writeToFile(block);
    } else this.memoryLeft -= bytes;
    this.blocks.push(block);
    this.at = 0;
  }

  private writeToFile(block: StoredBlock): void {
    const data = block.data as ArrayBuffer;
    try {
      if (this.fd < 0) {
        this.path = join(
          tmpdir(),
          `openloop-spill-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.bin`,
        );
        this.fd = openSync(this.path, "w+");
      }
      writeSync(this.fd, new Uint8Array(data), 0, block.bytes, this.fileEnd);
    } catch (error) {
      throw new OpenloopError("io", `cannot write the temporary spill file: ${(error as Error).message}`, {
        where: { file: this.path ?? tmpdir() },
      });
    }
    block.position = this.fileEnd;
    block.data = null;
    this.fileEnd += block.bytes;
  }

  /**
   * Every block of rows, in write order (one object whose arrays are reloaded at each step: read
   * a block before asking for the next; see `SpillBlock`). Rows written later go into further
   * blocks.
   */
  *readBlocks(): Generator<SpillBlock> {
    this.seal();
    let largest = 0;
    for (const block of this.blocks) if (block.data === null) largest = Math.max(largest, block.bytes);
    const reader = new BlockReader();
    const fileBuffer = new ArrayBuffer(largest);
    for (const block of this.blocks) {
      reader.load(block, block.data ?? this.readFromFile(block, fileBuffer));
      yield reader;
    }
  }

  private readFromFile(block: StoredBlock, buffer: ArrayBuffer): ArrayBuffer {
    const bytes = new Uint8Array(buffer, 0, block.bytes);
    let done = 0;
    while (done < block.bytes) {
      const got = readSync(this.fd, bytes, done, block.bytes - done, block.position + done);
      if (got === 0) throw new OpenloopError("internal", "spill file ended early");
      done += got;
    }
    return buffer;
  }

  /** Frees the blocks, closes and removes the file. */
  dispose(): void {
    this.blocks.length = 0;
    this.staged.length = 0;
    this.at = 0;
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    if (this.path !== null) rmSync(this.path, { force: true });
  }
}

/** A `SpillBlock` over one stored block: fixed columns decoded on load, variables on demand. */
class BlockReader implements SpillBlock {
  rows = 0;
  readonly prompt = new Int32Array(SPILL_BLOCK_ROWS);
  readonly iteration = new Float64Array(SPILL_BLOCK_ROWS);
  readonly cls = new Int32Array(SPILL_BLOCK_ROWS);
  readonly responseHash = new Float64Array(SPILL_BLOCK_ROWS);
  readonly gold = new Int32Array(SPILL_BLOCK_ROWS);
  private block: StoredBlock | null = null;
  private data: ArrayBuffer | null = null;
  /** decoded variable columns (reused), and the block each was decoded for */
  private readonly decoded: Float64Array[] = [];
  private readonly decodedFor: (StoredBlock | null)[] = [];

  load(block: StoredBlock, data: ArrayBuffer): void {
    this.block = block;
    this.data = data;
    this.rows = block.rows;
    const fixed = [this.prompt, this.iteration, this.cls, this.responseHash, this.gold];
    for (let c = 0; c < FIXED; c++) this.decode(block.columns[c], fixed[c]);
  }

  values(id: number): Float64Array | null {
    const block = this.block as StoredBlock;
    const column = block.columns[FIXED + id];
    if (column === undefined || (column.store === CONSTANT && Number.isNaN(column.constant))) return null;
    while (this.decoded.length <= id) {
      this.decoded.push(new Float64Array(0));
      this.decodedFor.push(null);
    }
    if (this.decodedFor[id] !== block) {
      if (this.decoded[id].length === 0) this.decoded[id] = new Float64Array(SPILL_BLOCK_ROWS);
      this.decode(column, this.decoded[id]);
      this.decodedFor[id] = block;
    }
    return this.decoded[id];
  }

  private decode(column: StoredColumn, target: Int32Array | Float64Array): void {
    const { store, constant, offset } = column;
    if (store === CONSTANT) target.fill(constant, 0, this.rows);
    else target.set(new STORE_ARRAYS[store](this.data as ArrayBuffer, offset, this.rows));
  }
}

/**
 * The narrowest store holding `column[0..rows)` exactly: a constant when all values are the
 * same (or all NaN), an integer type when all are integers in its range (-0 is stored as 0, which
 * every discretisation treats alike), else Float32 when every value survives the round trip.
 * Each scan is its own function whose loop ends the function: code optimised while a loop runs
 * then never meets code after the loop that has not run yet (which would deoptimise it).
 */
function narrowest(column: Float64Array, rows: number): StoredColumn {
  if (allSame(column, rows)) return { store: CONSTANT, constant: column[0], offset: 0 };
  const store = fitsInt8(column, rows)
    ? INT8
    : fitsInt16(column, rows)
      ? INT16
      : fitsInt32(column, rows)
        ? INT32
        : fitsFloat32(column, rows)
          ? FLOAT32
          : FLOAT64;
  return { store, constant: 0, offset: 0 };
}

/** Whether `column[0..rows)` holds one value (all NaN counting as one). */
function allSame(column: Float64Array, rows: number): boolean {
  const first = column[0];
  if (Number.isNaN(first)) return allNaN(column, rows);
  for (let r = 1; r < rows; r++) if (column[r] !== first) return false;
  return true;
}

function allNaN(column: Float64Array, rows: number): boolean {
  for (let r = 1; r < rows; r++) if (!Number.isNaN(column[r])) return false;
  return true;
}

function fitsInt8(column: Float64Array, rows: number): boolean {
  for (let r = 0; r < rows; r++) {
    const v = column[r];
    if ((v << 24) >> 24 !== v) return false;
  }
  return true;
}

function fitsInt16(column: Float64Array, rows: number): boolean {
  for (let r = 0; r < rows; r++) {
    const v = column[r];
    if ((v << 16) >> 16 !== v) return false;
  }
  return true;
}

function fitsInt32(column: Float64Array, rows: number): boolean {
  for (let r = 0; r < rows; r++) {
    const v = column[r];
    if ((v | 0) !== v) return false;
  }
  return true;
}

/** Whether every value of `column[0..rows)` is a 32-bit float (NaN included). */
function fitsFloat32(column: Float64Array, rows: number): boolean {
  for (let r = 0; r < rows; r++) {
    const v = column[r];
    if (Math.fround(v) !== v && !Number.isNaN(v)) return false;
  }
  return true;
}
