/**
 * Compact storage for streaming aggregation: a 53-bit string hash, an open-addressing hash map
 * from non-negative integer keys (< 2^53) to dense indices, and growable typed arrays. These
 * keep memory proportional to the number of distinct keys, with a few bytes per key.
 */

/**
 * A 53-bit hash of a string (two 32-bit multiplicative lanes, mixed), as a non-negative integer.
 * @example hashString("abc") === hashString("abc") // true
 */
export function hashString(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Mixes an integer (< 2^53) and a 53-bit hash into a new 53-bit hash. */
export function mixKey(a: number, b: number): number {
  const lo = (a >>> 0) ^ Math.imul(b >>> 0, 0x9e3779b1);
  const hi = Math.floor(a / 4294967296) ^ Math.imul(Math.floor(b / 4294967296) + 0x7f4a7c15, 0x85ebca6b);
  let h1 = Math.imul(lo ^ (lo >>> 15), 0x2c1b3c6d);
  h1 = Math.imul(h1 ^ (h1 >>> 12), 0x297a2d39) ^ hi;
  let h2 = Math.imul(hi ^ (hi >>> 15), 0x27d4eb2f) ^ h1;
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0x165667b1);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A map from integer keys in [0, 2^53) to dense indices 0, 1, 2, ... in insertion order. */
export class KeyIndex {
  private keys: Float64Array;
  private slots: Int32Array;
  private mask: number;
  /** number of distinct keys */
  size = 0;

  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap * 3 < capacity * 4) cap *= 2;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  private static slot(key: number, mask: number): number {
    // murmur3's 32-bit finaliser over both halves: every input bit reaches the low bits used
    let h = (key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & mask;
  }

  /** The index of `key`, or -1. */
  get(key: number): number {
    let s = KeyIndex.slot(key, this.mask);
    for (;;) {
      const v = this.slots[s];
      if (v < 0 || this.keys[s] === key) return v;
      s = (s + 1) & this.mask;
    }
  }

  /** The index of `key`, inserting it (as index `size`) when new; `isNew` tells which. */
  add(key: number): number {
    if ((this.size + 1) * 4 > this.slots.length * 3) this.grow();
    let s = KeyIndex.slot(key, this.mask);
    for (;;) {
      const v = this.slots[s];
      if (v < 0) {
        this.keys[s] = key;
        this.slots[s] = this.size;
        this.isNew = true;
        return this.size++;
      }
      if (this.keys[s] === key) {
        this.isNew = false;
        return v;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** Whether the last `add` inserted a new key. */
  isNew = false;

  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    const cap = oldSlots.length * 2;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let i = 0; i < oldSlots.length; i++) {
      if (oldSlots[i] < 0) continue;
      let s = KeyIndex.slot(oldKeys[i], this.mask);
      while (this.slots[s] >= 0) s = (s + 1) & this.mask;
      this.keys[s] = oldKeys[i];
      this.slots[s] = oldSlots[i];
    }
  }
}

type TypedArray = Uint8Array | Uint32Array | Int32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

/** A typed array that grows (doubling) as indices beyond its length are written. */
export class Growable<T extends TypedArray> {
  data: T;
  private readonly make: TypedArrayConstructor<T>;

  constructor(make: TypedArrayConstructor<T>, capacity = 1024) {
    this.make = make;
    this.data = new make(capacity);
  }

  /** Makes index `size - 1` writable. */
  ensure(size: number): T {
    if (size > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < size) cap *= 2;
      const next = new this.make(cap);
      next.set(this.data as never);
      this.data = next;
    }
    return this.data;
  }
}

/**
 * Growable counts stored as 16-bit integers, widened to 32 bits the first time a count would
 * pass 65,535: half the memory of 32-bit counts for the many small tables of a log.
 */
export class Counts {
  data: Uint16Array | Uint32Array = new Uint16Array(1024);

  /** Makes index `size - 1` writable. */
  ensure(size: number): void {
    if (size <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < size) cap *= 2;
    const next = this.data instanceof Uint16Array ? new Uint16Array(cap) : new Uint32Array(cap);
    next.set(this.data);
    this.data = next;
  }

  /** Adds one at index `i` (which `ensure` made writable). */
  inc(i: number): void {
    if (this.data[i] === 65535 && this.data instanceof Uint16Array) this.data = Uint32Array.from(this.data);
    this.data[i]++;
  }

  /** The first `size` counts. */
  take(size: number): Uint16Array | Uint32Array {
    this.ensure(size);
    return this.data.slice(0, size);
  }
}
