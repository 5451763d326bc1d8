/**
 * Seeded, deterministic pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) with its
 * 128-bit state filled by splitmix32 from the seed. Same seed, same sequence, on every platform.
 */
import { OpenloopError } from "../errors.js";

/** A deterministic random source. Never shared implicitly: pass it (or a `fork()`) explicitly. */
export interface Rng {
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform integer in 0..n-1 (n a positive integer below 2^32). */
  int(n: number): number;
  /**
   * Fills `out` with the values `out.length` successive `int(n)` calls would give (one call, no
   * per-value overhead); an Int32Array holds them only for n <= 2^31.
   */
  ints(n: number, out: Int32Array | Uint32Array): void;
  /**
   * Fills `out` with independent uniform integers in 0..n-1 (n a positive integer up to 2^32),
   * each from ONE 32-bit output by Lemire's multiply-shift with rejection (exact and unbiased;
   * `ints` takes two outputs a value, and its values are not these). An Int32Array holds them
   * only for n <= 2^31.
   */
  indices(n: number, out: Int32Array | Uint32Array): void;
  /**
   * Adds 1 to counts[v] for each of `draws` values v that `indices(n, ...)` would give (a
   * multinomial draw of counts, as a bootstrap needs, without the values in between).
   */
  countIndices(n: number, draws: number, counts: Int32Array): void;
  /** A standard normal deviate (Marsaglia polar method). */
  normal(): number;
  /** An independent generator seeded from this one's stream (advances this one). */
  fork(): Rng;
}

const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;
const SIGN = -2147483648;

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** One function for every generator (not a closure each), so that callers see one call target. */
function checkRange(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
    throw new OpenloopError("internal", `rng.int needs a positive integer up to 2^32, got ${n}`);
  }
}

function fromWords(w0: number, w1: number, w2: number, w3: number): Rng {
  let s0 = w0 | 0;
  let s1 = w1 | 0;
  let s2 = w2 | 0;
  let s3 = w3 | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  let spare = 0;
  let hasSpare = false;

  const nextU32 = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };

  const next = (): number => {
    const hi = nextU32() >>> 5; // 27 bits
    const lo = nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  /**
   * `length` uniform integers in 0..n-1, one 32-bit output each, by Lemire (2019), "Fast random
   * integer generation in an interval": with x an output, x * n = hi * 2^32 + lo; hi is uniform
   * on 0..n-1 once the x with lo < (2^32 - n) mod n are rejected (fewer than n of the 2^32
   * outputs, so rarely more than one draw). lo is exact (Math.imul); x * n - lo is a double
   * within 2^12 of hi * 2^32, so rounding (x * n - lo) / 2^32 gives hi exactly. Unsigned
   * comparisons as signed ones of values offset by 2^31 (uint32 values above 2^31 would leave
   * the small-integer fast path). The i-th value goes to sink[i], or, when `counting`, adds 1 to
   * sink[value].
   */
  const lemire = (n: number, length: number, sink: Int32Array | Uint32Array, counting: boolean): void => {
    checkRange(n);
    const reject = (((TWO_32 - n) % n) ^ SIGN) | 0;
    // the xoshiro128** step written out on local state, as in `ints`
    let a = s0;
    let b = s1;
    let c = s2;
    let d = s3;
    for (let i = 0; i < length; i++) {
      const m = Math.imul(b, 5);
      const x = Math.imul((m << 7) | (m >>> 25), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      const lo = Math.imul(x, n);
      if ((lo ^ SIGN) < reject) {
        i--; // rejected: draw this value again
        continue;
      }
      const value = Math.round(((x >>> 0) * n - (lo >>> 0)) * TWO_MINUS_32);
      if (counting) sink[value]++;
      else sink[i] = value;
    }
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  };

  return {
    next,
    int(n: number): number {
      checkRange(n);
      return Math.floor(next() * n);
    },
    ints(n: number, out: Int32Array | Uint32Array): void {
      checkRange(n);
      // next() and nextU32() written out on local state: the same arithmetic, value for value.
      // Deliberately not shared: calling nextU32() per draw (its state lives in the closure) took
      // ~4x the CPU per draw, and one step function on an Int32Array state ~1.6x
      let a = s0;
      let b = s1;
      let c = s2;
      let d = s3;
      for (let i = 0; i < out.length; i++) {
        let m = Math.imul(b, 5);
        const hi = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) >>> 5;
        let t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = (d << 11) | (d >>> 21);
        m = Math.imul(b, 5);
        const lo = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) >>> 6;
        t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = (d << 11) | (d >>> 21);
        out[i] = Math.floor(((hi * 67108864 + lo) / 9007199254740992) * n);
      }
      s0 = a;
      s1 = b;
      s2 = c;
      s3 = d;
    },
    indices(n: number, out: Int32Array | Uint32Array): void {
      lemire(n, out.length, out, false);
    },
    countIndices(n: number, draws: number, counts: Int32Array): void {
      lemire(n, draws, counts, true);
    },
    normal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      let u = 0;
      let v = 0;
      let s = 0;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * f;
      hasSpare = true;
      return u * f;
    },
    fork(): Rng {
      return fromWords(nextU32(), nextU32(), nextU32(), nextU32());
    },
  };
}

/**
 * Creates a generator from a seed (any finite number; integers up to 2^53 are all distinct seeds).
 * @example const rng = createRng(42); rng.int(6); // a die roll, the same on every run
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new OpenloopError("usage", `seed must be a finite number, got ${seed}`);
  }
  const whole = Math.trunc(seed);
  const lo = whole >>> 0;
  const hi = Math.floor(whole / TWO_32) >>> 0;
  const frac = Math.floor((seed - whole) * TWO_32) >>> 0;
  const state = { s: lo ^ Math.imul(hi, 0x27d4eb2f) ^ Math.imul(frac, 0x165667b1) };
  return fromWords(splitmix32(state), splitmix32(state), splitmix32(state), splitmix32(state));
}
