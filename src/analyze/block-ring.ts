/**
 * A ring of slots in shared memory through which the main thread hands the tally's blocks to
 * the metric thread: the main thread copies a block's per-row arrays into a free slot and marks
 * it full, the thread counts it and marks it free. Memory stays at a few blocks and no buffer is
 * allocated per block; the main thread waits only when every slot is full, and then without
 * blocking its event loop (Atomics.waitAsync), so that it sees the thread end even when the
 * thread could not say so itself (stopped at its heap limit, or before its modules loaded).
 */
import { OpenloopError } from "../errors.js";
import { SPILL_BLOCK_ROWS } from "./spill.js";
import type { TallyBlock } from "./tally.js";

/** Slots of a ring. */
const SLOTS = 4;
/** `state[k]` of slot k: free or full; `state[SLOTS]`: set by the thread when it ends */
const FREE = 0;
const FULL = 1;
/** Longest wait between checks that the thread is still running, in ms. */
const WAIT_MS = 100;

/** The shared memory of a ring (what is posted to the thread). */
export interface RingMemory {
  signals: number;
  features: number;
  hasGold: boolean;
  slots: SharedArrayBuffer[];
  state: Int32Array;
}

/** The per-row arrays of a block: what a slot holds (views of SPILL_BLOCK_ROWS rows). */
type SlotArrays = Pick<TallyBlock, "cell" | "stratum" | "responseHash" | "gold" | "levels" | "bins">;

/** The numbers of a block that travel in the message; its arrays are in the slot. */
export type BlockHeader = Omit<TallyBlock, keyof SlotArrays> & {
  slot: number;
};

const R = SPILL_BLOCK_ROWS;

/** Bytes of a slot: the 8-byte column first, so every view is aligned. */
function slotBytes(signals: number, features: number, hasGold: boolean): number {
  return R * (8 + 4 + 4 + (hasGold ? 4 : 0) + signals + features);
}

function views(buffer: SharedArrayBuffer, memory: RingMemory): SlotArrays {
  let offset = 0;
  const take = <T>(make: new (b: SharedArrayBuffer, o: number, n: number) => T, bytes: number): T => {
    const view = new make(buffer, offset, R);
    offset += R * bytes;
    return view;
  };
  const responseHash = take(Float64Array, 8);
  const cell = take(Int32Array, 4);
  const stratum = take(Int32Array, 4);
  const gold = memory.hasGold ? take(Int32Array, 4) : null;
  const levels = Array.from({ length: memory.signals }, () => take(Int8Array, 1));
  const bins = Array.from({ length: memory.features }, () => take(Int8Array, 1));
  return { cell, stratum, responseHash, gold, levels, bins };
}

/** The main thread's side: copies blocks into free slots. */
export class RingWriter {
  readonly memory: RingMemory;
  private readonly slots: SlotArrays[];
  private next = 0;

  constructor(signals: number, features: number, hasGold: boolean) {
    this.memory = {
      signals,
      features,
      hasGold,
      slots: Array.from(
        { length: SLOTS },
        () => new SharedArrayBuffer(slotBytes(signals, features, hasGold)),
      ),
      state: new Int32Array(new SharedArrayBuffer((SLOTS + 1) * Int32Array.BYTES_PER_ELEMENT)),
    };
    this.slots = this.memory.slots.map((buffer) => views(buffer, this.memory));
  }

  /**
   * Copies `block` into the next slot and returns its header; when that slot is still full,
   * a promise of the header once it is free (read nothing of `block` into a slot before). Throws
   * (rejects) once the ring is ended: by its thread's exit handler, or here by `end` when the
   * main thread sees the thread exit.
   */
  write(block: TallyBlock): BlockHeader | Promise<BlockHeader> {
    const slot = this.next;
    const { state } = this.memory;
    if (Atomics.load(state, slot) !== FREE) return this.writeWhenFree(block, slot);
    this.next = (slot + 1) % SLOTS;
    return this.copy(block, slot);
  }

  /** Marks the ring ended: a write waiting for a slot then fails. */
  end(): void {
    endRing(this.memory.state);
  }

  private async writeWhenFree(block: TallyBlock, slot: number): Promise<BlockHeader> {
    const { state } = this.memory;
    while (Atomics.load(state, slot) !== FREE) {
      if (Atomics.load(state, SLOTS) !== 0)
        throw new OpenloopError("internal", "the metric worker thread failed: it ended while counting");
      const wait = Atomics.waitAsync(state, slot, FULL, WAIT_MS);
      if (wait.async) await wait.value;
    }
    this.next = (slot + 1) % SLOTS;
    return this.copy(block, slot);
  }

  private copy(block: TallyBlock, slot: number): BlockHeader {
    const { state } = this.memory;
    const rows = block.rows;
    const arrays = this.slots[slot];
    arrays.cell.set(block.cell.subarray(0, rows));
    arrays.stratum.set(block.stratum.subarray(0, rows));
    arrays.responseHash.set(block.responseHash.subarray(0, rows));
    if (arrays.gold !== null && block.gold !== null) arrays.gold.set(block.gold.subarray(0, rows));
    for (let s = 0; s < arrays.levels.length; s++) arrays.levels[s].set(block.levels[s].subarray(0, rows));
    for (let f = 0; f < arrays.bins.length; f++) arrays.bins[f].set(block.bins[f].subarray(0, rows));
    Atomics.store(state, slot, FULL);
    const { cell, stratum, responseHash, gold, levels, bins, ...numbers } = block;
    return { ...numbers, slot };
  }
}

/** The metric thread's side: the block in a full slot, and freeing it. */
export class RingReader {
  private readonly memory: RingMemory;
  private readonly slots: SlotArrays[];

  constructor(memory: RingMemory) {
    this.memory = memory;
    this.slots = memory.slots.map((buffer) => views(buffer, memory));
  }

  /** The block of a header (views of its slot: read them before `free`). */
  block(header: BlockHeader): TallyBlock {
    const { slot, ...numbers } = header;
    const { cell, stratum, responseHash, gold, levels, bins } = this.slots[slot];
    return { ...numbers, cell, stratum, responseHash, gold, levels, bins };
  }

  free(slot: number): void {
    Atomics.store(this.memory.state, slot, FREE);
    Atomics.notify(this.memory.state, slot);
  }

  /** Marks the ring's thread as ended (a writer waiting for a slot then throws). */
  end(): void {
    endRing(this.memory.state);
  }
}

/** Sets the ended flag and wakes a writer waiting on any slot. */
function endRing(state: Int32Array): void {
  Atomics.store(state, SLOTS, 1);
  for (let slot = 0; slot < SLOTS; slot++) Atomics.notify(state, slot);
}
