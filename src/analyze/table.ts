/**
 * Compact storage for streaming aggregation: a 53-bit string hash, an open-addressing hash map
 * from non-negative integer keys (< 2^53) to dense indices, growable typed arrays and counts,
 * and per-cell key lists. These keep memory proportional to the number of distinct keys, with a
 * few bytes per key.
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

/**
 * The capacity to grow to from `length` for `size` entries: `expected` (a caller's projection
 * of the final size) when larger, else at least double. Pages of a typed array are only
 * committed when written, so capacity beyond the entries written costs address space, not memory.
 */
function grownCapacity(length: number, size: number, expected: number): number {
  let cap = Math.max(length * 2, expected);
  while (cap < size) cap *= 2;
  return cap;
}

/** A typed array that grows (doubling, or to an expected size) as indices beyond its length are written. */
export class Growable<T extends TypedArray> {
  data: T;
  private readonly make: TypedArrayConstructor<T>;

  constructor(make: TypedArrayConstructor<T>, capacity = 1024) {
    this.make = make;
    this.data = new make(capacity);
  }

  /** Makes index `size - 1` writable, growing to at least `expected` entries when it grows. */
  ensure(size: number, expected = 0): T {
    if (size > this.data.length) {
      const next = new this.make(grownCapacity(this.data.length, size, expected));
      next.set(this.data as never);
      this.data = next;
    }
    return this.data;
  }

  /** The first `size` entries (a view: they are not copied). */
  take(size: number): T {
    return this.ensure(size).subarray(0, size) as T;
  }
}

/**
 * Growable counts stored as 16-bit integers, widened to 32 bits the first time a count would
 * pass 65,535: half the memory of 32-bit counts for the many small tables of a log. Callers
 * increment `data` directly and call `widen` when a count reaches 65,536.
 */
export class Counts {
  data: Uint16Array | Uint32Array = new Uint16Array(1024);

  /** Makes index `size - 1` writable, growing to at least `expected` entries when it grows. */
  ensure(size: number, expected = 0): void {
    if (size <= this.data.length) return;
    const cap = grownCapacity(this.data.length, size, expected);
    const next = this.data instanceof Uint16Array ? new Uint16Array(cap) : new Uint32Array(cap);
    next.set(this.data);
    this.data = next;
  }

  /** Widens `data` to 32 bits (when a count passes 65,535) and returns it. */
  widen(): Uint32Array {
    const wide = Uint32Array.from(this.data);
    this.data = wide;
    return wide;
  }

  /** The first `size` counts (a view: the counts are not copied). */
  take(size: number): Uint16Array | Uint32Array {
    this.ensure(size);
    return this.data.subarray(0, size);
  }
}

/** Longest per-cell key list searched linearly before the cell's keys move to a hash map. */
const LIST_MAX = 16;

/**
 * Distinct (cell, key) pairs, numbered 0, 1, 2, ... in first-seen order, where cells are dense
 * integers: each cell keeps a short list of its keys, searched linearly (a few comparisons for
 * the usual handful of classes or responses per cell); a cell with more than 16 keys moves them
 * to a `KeyIndex` keyed by `cell * 2^26 + key` (exact, for keys below 2^26) or, with `mixed`,
 * by `mixKey(cell, key)` (for 53-bit hashes). Keys are numbers in [0, 2^53).
 */
export class CellKeys {
  /** number of distinct (cell, key) pairs */
  size = 0;
  /** Whether the last `add` inserted a new pair. */
  isNew = false;
  private readonly mixed: boolean;
  /** per cell: newest entry of its list (-1 none) */
  private head = new Int32Array(1024).fill(-1);
  /** per cell: length of its list, or -1 once its keys are in `map` */
  private length = new Int32Array(1024);
  /** per entry: the cell's previous entry, and the key */
  private next = new Int32Array(1024);
  private keys = new Float64Array(1024);
  private map: KeyIndex | null = null;
  private readonly mapEntry = new Growable(Int32Array);

  constructor(mixed: boolean) {
    this.mixed = mixed;
  }

  /** The number of the pair (`cell`, `key`), numbering it `size` when new; `isNew` tells which. */
  add(cell: number, key: number): number {
    if (cell >= this.head.length) this.growCells(cell + 1);
    const n = this.length[cell];
    if (n >= 0) {
      const keys = this.keys;
      const next = this.next;
      for (let e = this.head[cell]; e >= 0; e = next[e]) {
        if (keys[e] === key) {
          this.isNew = false;
          return e;
        }
      }
      if (n < LIST_MAX) {
        const e = this.newEntry(key);
        this.next[e] = this.head[cell];
        this.head[cell] = e;
        this.length[cell] = n + 1;
        return e;
      }
      this.moveToMap(cell);
    }
    const map = this.map as KeyIndex;
    const k = map.add(this.compose(cell, key));
    if (!map.isNew) {
      this.isNew = false;
      return this.mapEntry.data[k];
    }
    const e = this.newEntry(key);
    this.mapEntry.ensure(k + 1)[k] = e;
    return e;
  }

  private compose(cell: number, key: number): number {
    return this.mixed ? mixKey(cell, key) : cell * 67108864 + key;
  }

  /** Makes room for `size` pairs, growing to at least `expected` when it grows. */
  reserve(size: number, expected = 0): void {
    if (size <= this.keys.length) return;
    const cap = grownCapacity(this.keys.length, size, expected);
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    this.keys = keys;
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
  }

  private newEntry(key: number): number {
    const e = this.size++;
    if (e === this.keys.length) this.reserve(e + 1);
    this.keys[e] = key;
    this.isNew = true;
    return e;
  }

  private moveToMap(cell: number): void {
    this.map ??= new KeyIndex();
    for (let e = this.head[cell]; e >= 0; e = this.next[e]) {
      const k = this.map.add(this.compose(cell, this.keys[e]));
      this.mapEntry.ensure(k + 1)[k] = e;
    }
    this.length[cell] = -1;
  }

  private growCells(size: number): void {
    let cap = this.head.length * 2;
    while (cap < size) cap *= 2;
    const head = new Int32Array(cap).fill(-1);
    head.set(this.head);
    this.head = head;
    const length = new Int32Array(cap);
    length.set(this.length);
    this.length = length;
  }
}
